using Send.BuildingBlocks.Hosting;
using Send.Contracts;
using Send.EventService.Apis;
using Send.EventService.Data;
using Send.EventService.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EventsDbContext>("eventsdb", AppIds.EventService);
builder.AddProviderIngestion();

var app = builder.Build();
app.UseSendService<EventsDbContext>();
app.MapProvidersApi();

if (await app.RunSendCommandAsync<EventsDbContext>(args))
{
    return;
}

await app.RunAsync();
