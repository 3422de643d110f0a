using Send.BuildingBlocks.Data;
using Send.KeyService.Apis;
using Send.KeyService.Data;
using Send.KeyService.Extensions;
using Send.KeyService.Services;
using Send.ServiceDefaults;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseSendErrorHandling();
app.UseInternalIdentity();
app.MapDefaultEndpoints();
app.MapSendOpenApi();
app.MapApiKeysApi();
app.MapInternalKeysApi();

if (await app.RunDatabaseCommandAsync<KeysDbContext>(args))
{
    return;
}

await app.EnsureBootstrapKeyAsync();
await app.RunAsync();
