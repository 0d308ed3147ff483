// Sparring on Azure: one deployment serving the municipalities in ALLOWED_TENANT_IDS.
// Bot Service (Teams channel) → App Service (Node 20) → Table Storage, with secrets in Key Vault
// read through a user-assigned managed identity, and telemetry in Application Insights.
// No storage key is used anywhere: the app reaches Table Storage with its managed identity.

@description('Short prefix for resource names, e.g. "sparring".')
@minLength(3)
@maxLength(12)
param namePrefix string = 'sparring'

param location string = resourceGroup().location

@description('Entra tenant ids of the municipalities served, comma separated. Each needs an entry in config/municipalities.json.')
param allowedTenantIds string

@description('Application ID URI and/or client id of the Sparring API app registration that the municipality\'s social case system requests its access tokens for (e.g. api://sparring-bostotte), comma separated.')
param bostotteApiAudience string

@description('Path of the municipalities file inside the deployed app.')
param municipalitiesFile string = 'config/municipalities.json'

@allowed(['F0', 'S1'])
param botSku string = 'S1'

@description('App Service plan SKU; two or more instances are supported (all state is in Table Storage).')
param appServiceSku string = 'P0v3'
param instanceCount int = 2

var suffix = uniqueString(resourceGroup().id)
var names = {
  identity: '${namePrefix}-id-${suffix}'
  storage: toLower(take('${namePrefix}st${suffix}', 24))
  vault: take('${namePrefix}-kv-${suffix}', 24)
  logs: '${namePrefix}-log-${suffix}'
  insights: '${namePrefix}-ai-${suffix}'
  plan: '${namePrefix}-plan-${suffix}'
  site: '${namePrefix}-app-${suffix}'
  bot: '${namePrefix}-bot-${suffix}'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: names.storage
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
    // Entra ID only: account keys and SAS tokens signed with them are refused.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: names.vault
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

// The two keys, DATA_ENCRYPTION_KEY and CPR_LOOKUP_KEY, are secrets the operator creates (see
// infra/README.md), never a template: a template would put them in the deployment history.
var dataEncryptionKeySecret = 'data-encryption-key'
var cprLookupKeySecret = 'cpr-lookup-key'

var keyVaultSecretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
var storageTableDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')

resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: { roleDefinitionId: keyVaultSecretsUser, principalId: identity.properties.principalId, principalType: 'ServicePrincipal' }
}

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: { roleDefinitionId: storageTableDataContributor, principalId: identity.properties.principalId, principalType: 'ServicePrincipal' }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: names.logs
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: names.plan
  location: location
  kind: 'linux'
  sku: { name: appServiceSku, capacity: instanceCount }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: names.site
  location: location
  kind: 'app,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/src/main.js'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      alwaysOn: true
      // 503 while storage does not answer or the instance drains on shutdown: App Service then routes elsewhere.
      healthCheckPath: '/api/health/ready'
      appSettings: [
        { name: 'BOT_APP_ID', value: identity.properties.clientId }
        { name: 'BOT_APP_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_TENANT_ID', value: tenant().tenantId }
        { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
        { name: 'MUNICIPALITIES_FILE', value: municipalitiesFile }
        { name: 'BOSTOTTE_API_AUDIENCE', value: bostotteApiAudience }
        { name: 'STORAGE_ACCOUNT_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'DATA_ENCRYPTION_KEY', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${dataEncryptionKeySecret})' }
        { name: 'CPR_LOOKUP_KEY', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${cprLookupKeySecret})' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ]
    }
  }
  dependsOn: [vaultAccess, tableAccess]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Sparring'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output botAppId string = identity.properties.clientId
output siteName string = site.name
output vaultName string = vault.name
output messagingEndpoint string = 'https://${site.properties.defaultHostName}/api/messages'
