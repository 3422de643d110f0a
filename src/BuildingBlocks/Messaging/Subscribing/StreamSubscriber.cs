using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Redis;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// The local transport's consuming half: what a Dapr sidecar with <c>pubsub.redis</c> does for
/// an app, done in-process. Once the app is up it discovers the subscriptions, joins one
/// consumer group per app id on each topic's stream (so replicas compete and services each get
/// everything), delivers each message to its route, retries with exponential backoff,
/// dead-letters what exhausts its attempts, and takes over messages left pending by a crashed
/// consumer. Priority topics (subscription metadata <c>priority: high</c>) are always read first.
/// </summary>
public sealed partial class StreamSubscriber(
    IConnectionMultiplexer redis,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    SubscriptionDiscovery discovery,
    EventDeliverer deliverer,
    MessagingApp messagingApp,
    IOptions<DeliveryOptions> options,
    ILogger<StreamSubscriber> logger) : BackgroundService
{
    private static readonly TimeSpan BlockFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan IdleConsumerLifetime = TimeSpan.FromHours(1);

    private readonly string _consumer = $"{messagingApp.AppId}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();
    private readonly CancellationTokenSource _abort = new();
    private DeliverySlots _slots = null!;
    private (int Capacity, TimeSpan Window)? _gathering;
    private StreamSettlement _settlement = null!;
    private Dictionary<string, Subscription> _byStream = [];
    private Uri _app = null!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForAppStartedAsync(stoppingToken))
        {
            return;
        }

        _app = discovery.AppAddress();
        var subscriptions = await DiscoverAsync(stoppingToken);
        _byStream = subscriptions.Where(s => s.PubSubName == messagingApp.PubSubName).ToDictionary(s => s.Topic);
        if (_byStream.Count == 0)
        {
            LogNoSubscriptions(messagingApp.AppId);
            return;
        }

        _gathering = Gathering();
        _slots = new DeliverySlots(_gathering?.Capacity ?? options.Value.Concurrency);
        _settlement = new StreamSettlement(redis, messagingApp.AppId, logger);
        await EnsureGroupsAsync(stoppingToken);
        await using var reader = await BlockingStreamReader.ConnectAsync(
            configuration.GetConnectionString(RedisSetup.ConnectionName)!, messagingApp.AppId, _consumer, BlockFor);
        LogSubscribed(_consumer, string.Join(", ", _byStream.Keys));

        var settling = _settlement.RunAsync();
        var reclaiming = ReclaimLoopAsync(stoppingToken);
        try
        {
            await ReadLoopAsync(reader, stoppingToken);
        }
        finally
        {
            await DrainAsync();
            await reclaiming.ContinueWith(_ => { }, TaskScheduler.Default);
            _settlement.Complete();
            await settling;
        }
    }

    private async Task<bool> WaitForAppStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<Subscription>> DiscoverAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await discovery.DiscoverAsync(_app, stoppingToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogDiscoveryFailed(_app, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Creates each group from the stream's start, so nothing published before this app first ran is skipped.</summary>
    private async Task EnsureGroupsAsync(CancellationToken stoppingToken)
    {
        foreach (var stream in _byStream.Keys)
        {
            while (true)
            {
                try
                {
                    await redis.GetDatabase().StreamCreateConsumerGroupAsync(stream, messagingApp.AppId, StreamPosition.Beginning, createStream: true);
                    break;
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
                {
                    break;
                }
                catch (RedisException ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRedisUnavailable(ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
    }

    private async Task ReadLoopAsync(BlockingStreamReader reader, CancellationToken stoppingToken)
    {
        var all = _byStream.Keys.OrderBy(stream => _byStream[stream].IsHighPriority ? 0 : 1).ToList();
        var high = all.Where(stream => _byStream[stream].IsHighPriority).ToList();
        // A bulk-only app reads when every delivery in flight has finished (or its window has
        // passed); any other app reads whenever a slot is free.
        var (gather, window) = _gathering is { } gathering ? (gathering.Capacity, gathering.Window) : (1, TimeSpan.Zero);
        while (!stoppingToken.IsCancellationRequested)
        {
            int room;
            try
            {
                room = await _slots.TakeForReadAsync(gather, window, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Only one slot is held across the read, which may block for seconds: a take-over
            // of a crashed consumer's messages (ReclaimAsync) must not wait for it.
            _slots.Release(room - 1);
            IReadOnlyList<StreamMessage> batch;
            try
            {
                batch = high.Count > 0 ? await reader.ReadAsync(high, room, block: null) : [];
                if (batch.Count == 0)
                {
                    batch = await reader.ReadAsync(all, room, BlockFor);
                }
            }
            catch (RedisException ex) when (!stoppingToken.IsCancellationRequested)
            {
                _slots.Release(1);
                LogRedisUnavailable(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                if (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
                {
                    await EnsureGroupsAsync(stoppingToken);
                }

                continue;
            }

            if (batch.Count == 0)
            {
                _slots.Release(1);
                continue;
            }

            // The first message holds the slot kept above; the others each take one, chunk by
            // chunk, and each chunk starts once its slots are held. COUNT limits each stream on
            // its own, so a read of several streams can return more messages than there are
            // slots: had every slot been taken before any chunk started, none would come back.
            var held = 1;
            foreach (var delivery in Deliveries(batch))
            {
                for (; held < delivery.Count; held++)
                {
                    if (!await TryTakeSlotAsync(stoppingToken))
                    {
                        _slots.Release(held);
                        return; // stopping: the rest of the batch stays pending and is reclaimed later
                    }
                }

                held -= delivery.Count;
                Start(delivery, previousDeliveries: 0, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Whether this app gathers (see <see cref="DeliverySlots"/>), and with how many slots: only
    /// an app whose every subscription is bulk. An app with any per-event subscription never
    /// waits, so a lone event never queues behind a gathering chunk; the app's own dead-letter
    /// store (per event, on every service) does not count, as what reaches it has waited through
    /// its retries already. A gathering app holds at least two full chunks, so one can be filled
    /// while another is delivered, and waits at most its subscriptions' shortest
    /// <c>maxAwaitDurationMs</c>.
    /// </summary>
    private (int Capacity, TimeSpan Window)? Gathering()
    {
        var work = _byStream.Values.Where(s => s.Topic != messagingApp.DeadLetterTopic).ToList();
        if (work.Count == 0 || work.Any(s => s.BulkMaxMessages is null))
        {
            return null;
        }

        var capacity = Math.Max(options.Value.Concurrency, 2 * work.Max(s => s.BulkMaxMessages!.Value));
        return (capacity, work.Min(s => s.BulkMaxAwait));
    }

    /// <summary>One delivery per message, or per chunk of messages for a bulk subscription.</summary>
    private IEnumerable<IReadOnlyList<StreamMessage>> Deliveries(IReadOnlyList<StreamMessage> batch)
    {
        foreach (var stream in batch.GroupBy(m => m.Stream))
        {
            var chunkSize = _byStream[stream.Key].BulkMaxMessages ?? 1;
            foreach (var chunk in stream.Chunk(chunkSize))
            {
                yield return chunk;
            }
        }
    }

    private async Task<bool> TryTakeSlotAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _slots.TakeOneAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Start(IReadOnlyList<StreamMessage> messages, long previousDeliveries, CancellationToken stoppingToken)
    {
        var key = Guid.NewGuid();
        var task = Task.Run(() => ProcessAsync(messages, previousDeliveries, stoppingToken), CancellationToken.None);
        _inFlight[key] = task;
        _ = task.ContinueWith(_ => _inFlight.TryRemove(key, out Task? _), TaskScheduler.Default);
    }

    /// <summary>
    /// Delivers messages of one stream (one, or a chunk for a bulk subscription) until each is
    /// settled: acknowledged, dropped, or — after the last attempt — dead-lettered. Only the
    /// messages still failing are retried; each holds one delivery slot until it is settled.
    /// </summary>
    private async Task ProcessAsync(IReadOnlyList<StreamMessage> messages, long previousDeliveries, CancellationToken stoppingToken)
    {
        var subscription = _byStream[messages[0].Stream];
        var held = messages.Count;
        try
        {
            if (previousDeliveries >= options.Value.MaxDeliveries)
            {
                foreach (var message in messages)
                {
                    await GiveUpAsync(message, subscription, $"Handed out {previousDeliveries} times without an answer: it may crash its consumer.", 0);
                }

                return;
            }

            var traceParents = messages.ToDictionary(m => m.Id, TraceParentOf);
            var failures = new Dictionary<string, string?>();
            IReadOnlyList<StreamMessage> remaining = messages;
            for (var attempt = 1; attempt <= options.Value.MaxAttempts && remaining.Count > 0; attempt++)
            {
                if (attempt > 1)
                {
                    await Task.Delay(options.Value.Backoff(attempt - 1), stoppingToken);
                    await _settlement.KeepClaimAsync(remaining, _consumer);
                }

                var results = await DeliverAsync(subscription, remaining, traceParents);
                var retry = new List<StreamMessage>();
                var settled = new List<StreamMessage>(remaining.Count);
                var delivered = 0;
                foreach (var message in remaining)
                {
                    var result = results[message.Id];
                    switch (result.Outcome)
                    {
                        case DeliveryOutcome.Success:
                            settled.Add(message);
                            delivered++;
                            break;
                        case DeliveryOutcome.Drop:
                            LogDropped(message.Id, subscription.Topic);
                            settled.Add(message);
                            MessagingMetrics.Record(subscription.Topic, "dropped");
                            break;
                        case DeliveryOutcome.NoHandler:
                            await GiveUpAsync(message, subscription, result.Reason!, attempt);
                            break;
                        default:
                            failures[message.Id] = result.Reason;
                            MessagingMetrics.Record(subscription.Topic, "retried");
                            LogAttemptFailed(message.Id, subscription.Topic, attempt, options.Value.MaxAttempts, result.Reason);
                            retry.Add(message);
                            break;
                    }
                }

                _settlement.Acknowledge(settled);
                MessagingMetrics.Record(subscription.Topic, "delivered", delivered);
                // Settled messages give their slots back now, not after the others' retries:
                // a chunk in backoff must not keep a gathering reader waiting for them.
                _slots.Release(remaining.Count - retry.Count);
                held = retry.Count;
                remaining = retry;
            }

            foreach (var message in remaining)
            {
                await GiveUpAsync(message, subscription, failures[message.Id] ?? "Delivery failed.", options.Value.MaxAttempts);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || _abort.IsCancellationRequested)
        {
            // Stopping: the messages stay pending and another consumer takes them over.
        }
        catch (Exception ex)
        {
            LogProcessingFailed(ex, messages[0].Id, subscription.Topic);
        }
        finally
        {
            _slots.Release(held);
        }
    }

    private async Task<IReadOnlyDictionary<string, DeliveryResult>> DeliverAsync(
        Subscription subscription, IReadOnlyList<StreamMessage> messages, Dictionary<string, string?> traceParents)
    {
        if (subscription.BulkMaxMessages is null)
        {
            var message = messages[0];
            var result = await deliverer.DeliverAsync(_app, subscription, message.Envelope, traceParents[message.Id], _abort.Token);
            return new Dictionary<string, DeliveryResult> { [message.Id] = result };
        }

        return await deliverer.DeliverBulkAsync(_app, subscription, messages, messages.Select(m => traceParents[m.Id]).ToList(), _abort.Token);
    }

    /// <summary>
    /// Dead-letters the message, or, for a subscription without a dead-letter topic, leaves it
    /// pending: it is then retried after the processing timeout, never silently dropped.
    /// </summary>
    private async Task GiveUpAsync(StreamMessage message, Subscription subscription, string reason, int attempts)
    {
        if (subscription.DeadLetterTopic is null)
        {
            LogKeptPending(message.Id, subscription.Topic, reason);
            return;
        }

        await _settlement.DeadLetterAsync(message, subscription.DeadLetterTopic, messagingApp.AppId, reason, attempts);
        MessagingMetrics.Record(subscription.Topic, "dead_lettered");
        LogDeadLettered(message.Id, subscription.Topic, subscription.DeadLetterTopic, reason);
    }

    /// <summary>
    /// The envelope's top-level <c>traceparent</c>, read without building a document: the
    /// reader skips <c>data</c> whole, so the cost does not grow with the event's size.
    /// </summary>
    private static string? TraceParentOf(StreamMessage message)
    {
        try
        {
            var reader = new Utf8JsonReader(message.Envelope.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTraceParent = reader.ValueTextEquals("traceparent"u8);
                reader.Read();
                if (isTraceParent)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes over messages another consumer of this app has left idle past the processing
    /// timeout (it crashed), and forgets consumers that have been gone long enough.
    /// </summary>
    private async Task ReclaimLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ReclaimInterval, stoppingToken);
                foreach (var stream in _byStream.Keys)
                {
                    await ReclaimAsync(stream, stoppingToken);
                    await ForgetIdleConsumersAsync(stream);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RedisException ex)
            {
                LogRedisUnavailable(ex.Message);
            }
        }
    }

    private async Task ReclaimAsync(string stream, CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        RedisValue start = "0-0";
        do
        {
            var claimed = await db.StreamAutoClaimAsync(stream, messagingApp.AppId, _consumer,
                (long)options.Value.ProcessingTimeout.TotalMilliseconds, start, count: 32);
            foreach (var deleted in claimed.DeletedIds)
            {
                LogTrimmedWhilePending(deleted.ToString(), stream);
            }

            foreach (var entry in claimed.ClaimedEntries.Where(e => !e.IsNull))
            {
                var pending = await db.StreamPendingMessagesAsync(stream, messagingApp.AppId, 1, _consumer, entry.Id, entry.Id);
                var deliveries = pending.Length > 0 ? pending[0].DeliveryCount : 1;
                var data = entry.Values.FirstOrDefault(v => v.Name == "data").Value;
                var message = new StreamMessage(stream, entry.Id.ToString(), (byte[]?)data ?? []);
                LogReclaimed(message.Id, stream, deliveries);
                if (!await TryTakeSlotAsync(stoppingToken))
                {
                    return;
                }

                // The delivery count includes this claim; the ones before it went unanswered.
                Start([message], deliveries - 1, stoppingToken);
            }

            start = claimed.NextStartId;
        }
        while (start != "0-0" && !stoppingToken.IsCancellationRequested);
    }

    private async Task ForgetIdleConsumersAsync(string stream)
    {
        var db = redis.GetDatabase();
        foreach (var consumer in await db.StreamConsumerInfoAsync(stream, messagingApp.AppId))
        {
            if (consumer.PendingMessageCount == 0 && consumer.Name != _consumer
                && consumer.IdleTimeInMilliseconds > IdleConsumerLifetime.TotalMilliseconds)
            {
                await db.StreamDeleteConsumerAsync(stream, messagingApp.AppId, consumer.Name);
            }
        }
    }

    /// <summary>Lets deliveries in flight finish within the shutdown grace period, then abandons the rest to reclaim.</summary>
    private async Task DrainAsync()
    {
        try
        {
            await Task.WhenAll(_inFlight.Values).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync();
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        _slots?.Dispose();
        deliverer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId} subscribes to nothing; the local transport delivers nothing to it")]
    private partial void LogNoSubscriptions(string appId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer} receives {Topics}")]
    private partial void LogSubscribed(string consumer, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the subscriptions of {App}: {Reason}; retrying")]
    private partial void LogDiscoveryFailed(Uri app, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable to the subscriber: {Reason}")]
    private partial void LogRedisUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Id} on {Topic} dropped by its handler")]
    private partial void LogDropped(string id, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {Id} on {Topic} attempt {Attempt}/{MaxAttempts} failed: {Reason}")]
    private partial void LogAttemptFailed(string id, string topic, int attempt, int maxAttempts, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Id} on {Topic} (and any delivered with it) could not be processed; it stays pending")]
    private partial void LogProcessingFailed(Exception exception, string id, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Id} on {Topic} has no dead-letter topic; kept pending for a later retry: {Reason}")]
    private partial void LogKeptPending(string id, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Id} on {Topic} moved to {DeadLetterTopic}: {Reason}")]
    private partial void LogDeadLettered(string id, string topic, string deadLetterTopic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Id} on {Stream} was trimmed from the stream while still pending")]
    private partial void LogTrimmedWhilePending(string id, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over message {Id} on {Stream} from a silent consumer (delivery {Deliveries})")]
    private partial void LogReclaimed(string id, string stream, long deliveries);
}
