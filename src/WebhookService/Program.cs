using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Hosting;
using Send.WebhookService.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, WebhooksDbContext>("webhooksdb");

var app = builder.Build();
app.UseSendService();

if (await app.RunDatabaseCommandAsync<WebhooksDbContext>(args))
{
    return;
}

await app.RunAsync();
