using Send.BuildingBlocks.Hosting;
using Send.Contracts;
using Send.KeyService.Apis;
using Send.KeyService.Data;
using Send.KeyService.Extensions;
using Send.KeyService.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, KeysDbContext>(Extensions.DatabaseName, AppIds.KeyService);
builder.AddApplicationServices();

var app = builder.Build();
app.UseSendService<KeysDbContext>();
app.MapApiKeysApi();
app.MapInternalKeysApi();

if (await app.RunSendCommandAsync<KeysDbContext>(args))
{
    return;
}

await app.EnsureBootstrapKeyAsync();
await app.RunAsync();
