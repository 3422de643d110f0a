using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Hosting;
using Send.EventService.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EventsDbContext>("eventsdb");

var app = builder.Build();
app.UseSendService();

if (await app.RunDatabaseCommandAsync<EventsDbContext>(args))
{
    return;
}

await app.RunAsync();
