using Send.BuildingBlocks.Hosting;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.WebhookService.Apis;
using Send.WebhookService.Data;
using Send.WebhookService.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, WebhooksDbContext>("webhooksdb", AppIds.WebhookService);
builder.AddApplicationServices();

var app = builder.Build();
app.UseSendService<WebhooksDbContext>();
app.MapWebhooksApi();
app.MapEventSubscriptions(app.Services.GetRequiredService<MessagingApp>());

if (await app.RunSendCommandAsync<WebhooksDbContext>(args))
{
    return;
}

await app.RunAsync();
