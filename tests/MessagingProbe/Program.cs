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
            var topic = request.Bulk ? ProbeTopics.Bulk : request.Priority ? ProbeTopics.Priority : ProbeTopics.Normal;
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

// A publisher-only instance (Probe:Subscribe=false) leaves consuming to the other processes;
// Probe:Subscribe=bulk takes the bulk topic alone, as a service whose every topic is bulk does.
var subscribe = builder.Configuration["Probe:Subscribe"] ?? "true";
if (subscribe == "true")
{
    app.MapPost("/events/probe", Handle).WithSubscription(messaging, ProbeTopics.Normal);
    app.MapPost("/events/probe-priority", Handle).WithSubscription(messaging, ProbeTopics.Priority, highPriority: true);
}

if (subscribe is "true" or "bulk")
{
    var maxAwait = builder.Configuration.GetValue<int?>("Probe:BulkMaxAwaitMs") is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
    app.MapPost("/events/probe-bulk", HandleBulk).WithBulkSubscription(messaging, ProbeTopics.Bulk, maxMessages: 10, maxAwait: maxAwait);
}

await app.RunAsync();

async Task<IResult> Handle(ReceivedEvent received, ProbeEvent data, ProbeDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
    await ApplyAsync(received.Id, received.Topic, data, batch: null, db, clock, cancellationToken) switch
    {
        "RETRY" => SubscriptionResults.Retry(),
        "DROP" => SubscriptionResults.Drop(),
        "FAIL" => Results.Problem("Failing on purpose.", statusCode: 500),
        _ => SubscriptionResults.Success(),
    };

async Task<IResult> HandleBulk(BulkDelivery bulk, ProbeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
{
    var answers = new BulkAnswers();
    foreach (var entry in bulk.Entries)
    {
        switch (await ApplyAsync(entry.EventId, bulk.Topic, entry.Data<ProbeEvent>(), bulk.Id, db, clock, cancellationToken))
        {
            case "SUCCESS":
                answers.Success(entry);
                break;
            case "DROP":
                answers.Drop(entry);
                break;
            default:
                answers.Retry(entry);
                break;
        }
    }

    return answers.ToResult();
}

// Records the delivery, then behaves as the event asks; the effect is applied at most once.
async Task<string> ApplyAsync(string eventId, string? topic, ProbeEvent data, string? batch, ProbeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
{
    db.ChangeTracker.Clear();
    db.Deliveries.Add(new ProbeDelivery
    {
        EventId = eventId,
        Instance = instance,
        Topic = topic ?? "",
        TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
        Batch = batch,
        At = clock.GetUtcNow(),
    });
    await db.SaveChangesAsync(cancellationToken);
    var deliveries = await db.Deliveries.CountAsync(d => d.EventId == eventId, cancellationToken);

    switch (data.Behaviour)
    {
        case "retry-twice" when deliveries <= 2:
            return "RETRY";
        case "fail" when deliveries <= data.Failures:
            return "FAIL";
        case "drop":
            return "DROP";
        case "hang" when hang:
            await Task.Delay(Timeout.Infinite, cancellationToken);
            break;
        case "slow":
            await Task.Delay(data.DelayMs, cancellationToken);
            break;
    }

    await db.InTransactionAsync(async token =>
    {
        if (await db.TryBeginAsync(appId, eventId, clock.GetUtcNow(), token))
        {
            db.Effects.Add(new ProbeEffect { EventId = eventId, Sequence = data.Sequence, Instance = instance });
            await db.SaveChangesAsync(token);
        }
    }, cancellationToken);
    return "SUCCESS";
}

/// <summary>Thrown inside a unit of work to roll it back on purpose.</summary>
internal sealed class OperationAbortedException : Exception;
