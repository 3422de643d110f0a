using Send.BuildingBlocks.Hosting;
using Send.EventService.Data;
using Send.Contracts;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EventsDbContext>("eventsdb", AppIds.EventService);

var app = builder.Build();
app.UseSendService<EventsDbContext>();

if (await app.RunSendCommandAsync<EventsDbContext>(args))
{
    return;
}

await app.RunAsync();
