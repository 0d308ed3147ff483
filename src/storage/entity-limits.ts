/**
 * Azure Table Storage limits that Azurite does not enforce (SPEC §11): at most 252
 * custom properties, 64 KiB per string property (UTF-16) and 1 MiB per entity.
 * Checking here makes the emulator behave like the service.
 */
export const MAX_PROPERTIES = 252;
export const MAX_STRING_BYTES = 64 * 1024;
export const MAX_ENTITY_BYTES = 1024 * 1024;

export class EntityTooLargeError extends Error {
  readonly code = "storage.entity-too-large";
}

export function assertWithinTableLimits(entity: Record<string, unknown>): void {
  const custom = Object.keys(entity).filter((k) => !["partitionKey", "rowKey", "timestamp", "etag"].includes(k));
  if (custom.length > MAX_PROPERTIES) throw new EntityTooLargeError(`Entity has ${custom.length} properties`);
  let total = 4;
  for (const [name, value] of Object.entries(entity)) {
    total += 8 + name.length * 2;
    if (typeof value === "string") {
      const bytes = value.length * 2;
      if (bytes > MAX_STRING_BYTES) throw new EntityTooLargeError(`Property ${name} is ${bytes} bytes`);
      total += bytes + 4;
    } else {
      total += 8;
    }
  }
  if (total > MAX_ENTITY_BYTES) throw new EntityTooLargeError(`Entity is ${total} bytes`);
}
