import type { TestProject } from "vitest/node";
import { startAzurite, type RunningAzurite } from "../../src/dev/azurite.js";

declare module "vitest" {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}

let azurite: RunningAzurite | undefined;

/** One in-memory Azurite for the whole unit run, on a free port. Tests use their own tenant ids. */
export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite({});
  project.provide("azuriteConnectionString", azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
