using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Hosting;
using Send.KeyService.Apis;
using Send.KeyService.Data;
using Send.KeyService.Extensions;
using Send.KeyService.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, KeysDbContext>(Extensions.DatabaseName);
builder.AddApplicationServices();

var app = builder.Build();
app.UseSendService();
app.MapApiKeysApi();
app.MapInternalKeysApi();

if (await app.RunDatabaseCommandAsync<KeysDbContext>(args))
{
    return;
}

await app.EnsureBootstrapKeyAsync();
await app.RunAsync();
