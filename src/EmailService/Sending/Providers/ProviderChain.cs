using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Send.EmailService.Sending.Providers;

/// <summary>
/// <c>Providers</c>: the order providers are tried in (<c>Chain</c>, e.g. <c>["ses", "resend"]</c>,
/// default <c>["smtp"]</c>), per organization overrides (<c>Organizations:{org id}</c>), and the
/// per-provider timeout and circuit breaker.
/// </summary>
public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    public List<string> Chain { get; set; } = [];
    public Dictionary<string, List<string>> Organizations { get; set; } = [];
    /// <summary>
    /// One provider's time to answer. The whole chain must fit in the transport's delivery
    /// timeout (<c>Messaging:Delivery:Timeout</c>, 60 s), so keep chain length × this below it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Open a provider's circuit when at least this share of its recent sends failed transiently…</summary>
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>…out of at least this many in <see cref="SamplingDuration"/>; it stays open for <see cref="BreakDuration"/>.</summary>
    public int BreakMinimumThroughput { get; set; } = 10;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What the chain did: the deciding result and provider, and each provider that failed before it.</summary>
public sealed record ChainOutcome(ProviderResult Result, string Provider, IReadOnlyList<(string Provider, string Error)> FailedAttempts);

/// <summary>
/// Sends through the organization's provider chain. Each provider runs behind a Polly timeout
/// and circuit breaker; a transient failure or an open circuit moves on to the next provider, a
/// permanent failure stops the chain (another provider would refuse the same message), and if
/// every provider failed transiently the email is retried later.
/// </summary>
public sealed class ProviderChain
{
    private readonly Dictionary<string, (IEmailProvider Provider, ResiliencePipeline<ProviderResult> Pipeline)> _providers;
    private readonly ProvidersOptions _options;

    public ProviderChain(IEnumerable<IEmailProvider> providers, IOptions<ProvidersOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _providers = providers.ToDictionary(p => p.Name, p => (p, Pipeline(_options, clock)), StringComparer.OrdinalIgnoreCase);
        var unknown = _options.Chain.Concat(_options.Organizations.Values.SelectMany(c => c)).Where(n => !_providers.ContainsKey(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Providers:Chain names {string.Join(", ", unknown)}, which {(unknown.Count == 1 ? "is" : "are")} not configured; configured: {string.Join(", ", _providers.Keys)}.");
        }
    }

    public IReadOnlyList<string> ChainFor(string organizationId) =>
        _options.Organizations.TryGetValue(organizationId, out var own) && own.Count > 0 ? own : _options.Chain.Count > 0 ? _options.Chain : ["smtp"];

    public async Task<ChainOutcome> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var failed = new List<(string, string)>();
        foreach (var name in ChainFor(email.OrganizationId))
        {
            var (provider, pipeline) = _providers[name];
            ProviderResult result;
            try
            {
                result = await pipeline.ExecuteAsync(async token => await provider.SendAsync(email, token), cancellationToken);
            }
            catch (BrokenCircuitException)
            {
                result = ProviderResult.Transient($"{name}: circuit open after repeated failures; not tried");
            }
            catch (TimeoutRejectedException)
            {
                result = ProviderResult.Transient($"{name}: no answer within {_options.Timeout.TotalSeconds:0} s");
            }

            if (result.Outcome != ProviderOutcome.Transient)
            {
                return new ChainOutcome(result, name, failed);
            }

            failed.Add((name, result.Error ?? "transient failure"));
        }

        var last = failed.Count > 0 ? failed[^1].Item1 : "none";
        return new ChainOutcome(ProviderResult.Transient(string.Join("; ", failed.Select(f => f.Item2))), last, failed);
    }

    private static ResiliencePipeline<ProviderResult> Pipeline(ProvidersOptions options, TimeProvider clock) =>
        new ResiliencePipelineBuilder<ProviderResult> { TimeProvider = clock }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ProviderResult>
            {
                FailureRatio = options.BreakFailureRatio,
                MinimumThroughput = options.BreakMinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = new PredicateBuilder<ProviderResult>()
                    .HandleResult(r => r.Outcome == ProviderOutcome.Transient)
                    .Handle<TimeoutRejectedException>(),
            })
            .AddTimeout(options.Timeout)
            .Build();
}
