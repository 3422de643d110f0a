using Send.BuildingBlocks.Hosting;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.EventService.Analytics;
using Send.EventService.Apis;
using Send.EventService.Data;
using Send.EventService.Extensions;
using Send.EventService.Reputation;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EventsDbContext>("eventsdb", AppIds.EventService);
builder.AddProviderIngestion();
builder.AddAnalytics();

var app = builder.Build();
app.UseSendService<EventsDbContext>();
app.MapProvidersApi();
app.MapAnalytics(app.Services.GetRequiredService<MessagingApp>());

if (await app.RunSendCommandAsync<EventsDbContext>(args) || await app.RunReputationCommandAsync(args, Console.Out))
{
    return;
}

await app.RunAsync();
