using Send.BuildingBlocks.Data;
using Send.WebhookService.Data;
using Send.WebhookService.Extensions;
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

if (await app.RunDatabaseCommandAsync<WebhooksDbContext>(args))
{
    return;
}

await app.RunAsync();
