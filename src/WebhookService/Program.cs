using Send.BuildingBlocks.Hosting;
using Send.WebhookService.Data;
using Send.Contracts;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, WebhooksDbContext>("webhooksdb", AppIds.WebhookService);

var app = builder.Build();
app.UseSendService<WebhooksDbContext>();

if (await app.RunSendCommandAsync<WebhooksDbContext>(args))
{
    return;
}

await app.RunAsync();
