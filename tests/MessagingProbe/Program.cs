using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Hosting;
using Send.BuildingBlocks.Messaging;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.MessagingProbe;

var builder = WebApplication.CreateBuilder(args);
var appId = builder.Configuration["Probe:AppId"] ?? "probe";
var instance = builder.Configuration["Probe:Instance"] ?? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
var hang = builder.Configuration.GetValue<bool>("Probe:Hang");
builder.AddSendService<WebApplicationBuilder, ProbeDbContext>("probedb", appId);

var app = builder.Build();
app.UseSendService<ProbeDbContext>();
// The probe has no migrations: its schema comes straight from the model, before anything runs.
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<ProbeDbContext>().Database.EnsureCreatedAsync();
}

if (await app.RunSendCommandAsync<ProbeDbContext>(args))
{
    return;
}

var messaging = app.Services.GetRequiredService<MessagingApp>();

// Publisher side: the events and (unless rolled back) nothing else, in one transaction.
app.MapPost("/probe/publish", async (PublishRequest request, ProbeDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
{
    try
    {
        var ids = await db.InTransactionAsync(async token =>
        {
            var topic = request.Priority ? ProbeTopics.Priority : ProbeTopics.Normal;
            var enqueued = request.Events.Select(e => db.Enqueue(topic, ProbeTopics.EventType, e, clock.GetUtcNow()).Id.ToString()).ToList();
            await db.SaveChangesAsync(token);
            return request.Rollback ? throw new OperationAbortedException() : enqueued;
        }, cancellationToken);
        return Results.Ok(new { ids });
    }
    catch (OperationAbortedException)
    {
        return Results.Ok(new { ids = Array.Empty<string>() });
    }
});

// A publisher-only instance (Probe:Subscribe=false) leaves consuming to the other processes.
if (builder.Configuration.GetValue("Probe:Subscribe", true))
{
    app.MapPost("/events/probe", Handle).WithSubscription(messaging, ProbeTopics.Normal);
    app.MapPost("/events/probe-priority", Handle).WithSubscription(messaging, ProbeTopics.Priority, highPriority: true);
}

await app.RunAsync();

async Task<IResult> Handle(ReceivedEvent received, ProbeEvent data, ProbeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
{
    db.Deliveries.Add(new ProbeDelivery
    {
        EventId = received.Id,
        Instance = instance,
        Topic = received.Topic ?? "",
        TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
        At = clock.GetUtcNow(),
    });
    await db.SaveChangesAsync(cancellationToken);
    var deliveries = await db.Deliveries.CountAsync(d => d.EventId == received.Id, cancellationToken);

    switch (data.Behaviour)
    {
        case "retry-twice" when deliveries <= 2:
            return SubscriptionResults.Retry();
        case "fail" when deliveries <= data.Failures:
            return Results.Problem($"Failing delivery {deliveries} of {data.Failures}.", statusCode: 500);
        case "drop":
            return SubscriptionResults.Drop();
        case "hang" when hang:
            await Task.Delay(Timeout.Infinite, cancellationToken);
            break;
    }

    await db.InTransactionAsync(async token =>
    {
        if (await db.TryBeginAsync(appId, received.Id, clock.GetUtcNow(), token))
        {
            db.Effects.Add(new ProbeEffect { EventId = received.Id, Sequence = data.Sequence, Instance = instance });
            await db.SaveChangesAsync(token);
        }
    }, cancellationToken);
    return SubscriptionResults.Success();
}

/// <summary>Thrown inside a unit of work to roll it back on purpose.</summary>
internal sealed class OperationAbortedException : Exception;
