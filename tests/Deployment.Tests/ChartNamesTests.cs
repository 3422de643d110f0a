using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.BuildingBlocks.Redis;
using Send.BuildingBlocks.Secrets;
using Send.Contracts;
using Send.EmailService.Sending;
using Send.EmailService.Sending.Providers;
using Send.KeyService.Services;
using Send.ProviderClients;
using Send.ServiceDefaults.Health;
using Send.ServiceDefaults.Identity;
using Send.TestSupport;

namespace Send.Deployment.Tests;

/// <summary>
/// The chart names what the code reads: app ids, databases, configuration keys, paths. Without a
/// cluster a wrong name would show only after an install, as a pod that never gets ready or a
/// setting silently ignored, so each name is taken from the code's own constant here.
/// </summary>
public sealed partial class ChartNamesTests
{
    private static readonly JsonObject Values = Chart.Values();
    private static readonly string Helpers = Chart.Template("_helpers.tpl");

    [Fact]
    public void The_workloads_carry_every_app_id_of_the_code_once()
    {
        var appIds = Chart.EnabledWorkloads(Values).Select(w => Chart.Text(w["appId"])!).ToList();

        Assert.True(appIds.Count == appIds.Distinct().Count(), $"values.yaml gives an app id to two workloads: [{string.Join(", ", appIds)}]; Dapr needs one per deployment.");
        Assert.True(appIds.ToHashSet().SetEquals(AppIds.All),
            $"values.yaml's services have the app ids [{string.Join(", ", appIds.Order())}]; Send.Contracts.AppIds has [{string.Join(", ", AppIds.All.Order())}]. Make them the same.");
    }

    [Fact]
    public void Only_the_gateway_is_public_and_it_routes_to_exactly_the_clusters_of_its_configuration()
    {
        var workloads = Chart.EnabledWorkloads(Values).ToList();
        var publicIds = workloads.Where(w => Chart.Flag(w, "public")).Select(w => Chart.Text(w["appId"])).ToList();
        Assert.Equal([AppIds.Gateway], publicIds);

        var clusters = GatewayClusters();
        var routed = workloads.Where(w => Chart.Flag(w, "routed")).Select(w => Chart.Text(w["appId"])!).ToHashSet();
        Assert.True(routed.SetEquals(clusters.Keys),
            $"values.yaml routes [{string.Join(", ", routed.Order())}]; src/Gateway/appsettings.json has the clusters [{string.Join(", ", clusters.Keys.Order())}]. "
            + "Mark exactly those workloads routed: the Gateway gets an address for each.");
    }

    [Fact]
    public void Each_gateway_cluster_has_the_destination_the_chart_overrides_and_is_found_by_its_app_id()
    {
        // The chart sets services__<app id>__http__0 for service discovery and, through Dapr,
        // replaces the destination named "primary". A cluster whose destination had another name
        // would get a second destination instead, and YARP would balance between the two.
        Assert.Contains("__Destinations__primary__Address", Helpers, StringComparison.Ordinal);
        Assert.Contains("services__{{ $w.appId }}__http__0", Helpers, StringComparison.Ordinal);

        foreach (var (cluster, destinations) in GatewayClusters())
        {
            Assert.True(destinations.Count == 1 && destinations.TryGetValue("primary", out var address) && address == $"http://{cluster}",
                $"src/Gateway/appsettings.json: cluster '{cluster}' must have one destination 'primary' at http://{cluster}, which the chart points "
                + $"at the service; it has [{string.Join(", ", destinations.Select(d => $"{d.Key}={d.Value}"))}].");
        }
    }

    [Fact]
    public void Each_workload_reads_the_database_its_service_reads()
    {
        foreach (var workload in Chart.EnabledWorkloads(Values))
        {
            var appId = Chart.Text(workload["appId"])!;
            var expected = DatabaseOf(ServiceProjects.Folder(appId));
            var configured = Chart.Text(workload["database"]);
            Assert.True(configured == expected,
                $"values.yaml: the workload with app id '{appId}' has database '{configured}'; {ServiceProjects.Folder(appId)} reads the connection string '{expected}'.");
        }
    }

    [Fact]
    public void Each_database_is_migrated_by_exactly_one_workload_with_the_services_own_command()
    {
        var migrated = Chart.EnabledWorkloads(Values)
            .Where(w => Chart.Text(w["database"]) is not null && Chart.Flag(w, "migrate"))
            .Select(w => Chart.Text(w["database"])!)
            .ToList();
        var databases = Chart.EnabledWorkloads(Values).Select(w => Chart.Text(w["database"])).OfType<string>().Distinct().ToList();

        Assert.True(migrated.Order().SequenceEqual(databases.Order()),
            $"values.yaml migrates [{string.Join(", ", migrated.Order())}]; each of [{string.Join(", ", databases.Order())}] must be migrated once (set migrate: false on the others).");
        Assert.Contains($"args: [{DatabaseCommands.MigrateCommand}]", Chart.Template("migrations.yaml"), StringComparison.Ordinal);
        Assert.Contains("helm.sh/hook: pre-install,pre-upgrade", Chart.Template("migrations.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_email_service_image_gets_its_settings_and_only_the_worker_takes_sends()
    {
        var workloads = Chart.EnabledWorkloads(Values).ToList();
        foreach (var workload in workloads)
        {
            var appId = Chart.Text(workload["appId"])!;
            var isEmailService = ServiceProjects.Folder(appId) == "EmailService";
            Assert.True(Chart.Flag(workload, "emailService") == isEmailService,
                $"values.yaml: '{appId}' must set emailService: {isEmailService.ToString().ToLowerInvariant()} (the encryption key and providers go to the EmailService image).");
            if (isEmailService)
            {
                Assert.True(workload["worker"]?.GetValue<bool>() == (appId == AppIds.EmailWorker),
                    $"values.yaml: '{appId}' must set worker: {(appId == AppIds.EmailWorker).ToString().ToLowerInvariant()}; only the worker deployment takes sends.");
            }
        }
    }

    [Fact]
    public void The_environment_uses_the_configuration_keys_the_code_reads()
    {
        string[] keys =
        [
            $"{InternalIdentityOptions.SectionName}:{nameof(InternalIdentityOptions.Secret)}",
            $"{SecretsOptions.Section}:{nameof(SecretsOptions.EncryptionKey)}",
            $"{SecretsOptions.Section}:{nameof(SecretsOptions.PreviousKeys)}:",
            $"ConnectionStrings:{RedisSetup.ConnectionName}",
            $"ConnectionStrings:{SmtpOptions.ConnectionName}",
            MessagingSetup.TransportKey,
            $"{SendingOptions.SectionName}:{nameof(SendingOptions.Worker)}",
            $"{ProvidersOptions.Section}:{nameof(ProvidersOptions.Chain)}:",
            $"{SesProviderOptions.Section}:{nameof(SesProviderOptions.Region)}",
            $"{SesProviderOptions.Section}:{nameof(SesProviderOptions.ConfigurationSetName)}",
            $"{ProvidersOptions.Section}:Resend:{nameof(ResendOptions.ApiKey)}",
            BootstrapKeyProvisioner.ConfigurationKey,
        ];

        foreach (var key in keys)
        {
            // Environment variables spell the configuration's ':' as '__'.
            var variable = key.Replace(":", "__", StringComparison.Ordinal);
            Assert.True(Helpers.Contains($"name: {variable}", StringComparison.Ordinal) || Helpers.Contains($"\"{variable}", StringComparison.Ordinal),
                $"charts/send/templates/_helpers.tpl (send.env) does not set {variable}, the variable for '{key}' that the code reads.");
        }

        Assert.Contains($"value: {{{{ ternary \"{MessagingSetup.DaprTransport}\" \"{MessagingSetup.RedisTransport}\"", Helpers, StringComparison.Ordinal);
        Assert.Contains("\"ConnectionStrings__%s\" $w.database", Helpers, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_token_reaches_the_variable_the_services_check_the_sidecar_against()
    {
        // The name is not a constant in the code: InternalIdentityOptions reads it from the
        // environment when created, so set it and see it read.
        const string Variable = "APP_API_TOKEN";
        var before = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, "token-from-the-chart");
            Assert.Equal("token-from-the-chart", new InternalIdentityOptions().DaprAppApiToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, before);
        }

        Assert.Contains($"\"name\" \"{Variable}\" \"secret\" $secrets.daprAppToken.name \"key\" \"token\"", Helpers, StringComparison.Ordinal);
        Assert.Contains("dapr.io/app-token-secret: {{ $.Values.secrets.daprAppToken.name | quote }}", Chart.Template("deployments.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Probes_and_dapr_health_checks_use_the_services_health_paths()
    {
        Assert.Equal(HealthPaths.Live, Chart.Text(Values["probes"]!["livenessPath"]));
        Assert.Equal(HealthPaths.Ready, Chart.Text(Values["probes"]!["readinessPath"]));

        var deployments = Chart.Template("deployments.yaml");
        Assert.Matches(ProbePath("livenessProbe", "livenessPath"), deployments);
        Assert.Matches(ProbePath("readinessProbe", "readinessPath"), deployments);
        Assert.Contains("dapr.io/app-health-check-path: {{ $.Values.probes.readinessPath | quote }}", deployments, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_workload_is_a_service_project()
    {
        foreach (var appId in AppIds.All)
        {
            Assert.True(File.Exists(Path.Combine(Repository.Root, "src", ServiceProjects.Folder(appId), "Program.cs")),
                $"No src/{ServiceProjects.Folder(appId)}/Program.cs for app id '{appId}'.");
        }
    }

    private static Regex ProbePath(string probe, string valuesKey) =>
        new($@"{probe}:\s+httpGet:\s+path: {{{{ \$\.Values\.probes\.{valuesKey} }}}}");

    /// <summary>Cluster id → destination name → address, from the Gateway's ReverseProxy configuration.</summary>
    private static Dictionary<string, Dictionary<string, string>> GatewayClusters()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src", "Gateway", "appsettings.json")))!;
        return settings["ReverseProxy"]!["Clusters"]!.AsObject().ToDictionary(
            cluster => cluster.Key,
            cluster => cluster.Value!["Destinations"]!.AsObject().ToDictionary(d => d.Key, d => Chart.Text(d.Value!["Address"])!));
    }

    /// <summary>
    /// The connection string a service's Program.cs passes to AddSendService: a literal, or a
    /// constant of the service (KeyService's Extensions.DatabaseName). Null for the Gateway.
    /// </summary>
    private static string? DatabaseOf(string folder)
    {
        var program = File.ReadAllText(Path.Combine(Repository.Root, "src", folder, "Program.cs"));
        var call = AddSendServiceCall().Match(program);
        if (!call.Success)
        {
            return null;
        }

        if (call.Groups["literal"].Success)
        {
            return call.Groups["literal"].Value;
        }

        var constant = call.Groups["constant"].Value.Split('.')[^1];
        var definition = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src", folder), "*.cs", SearchOption.AllDirectories)
            .Select(path => new Regex($@"const string {constant} = ""(?<value>\w+)""").Match(File.ReadAllText(path)))
            .FirstOrDefault(m => m.Success);
        Assert.True(definition is not null, $"src/{folder}/Program.cs names its database with {call.Groups["constant"].Value}, whose definition was not found.");
        return definition.Groups["value"].Value;
    }

    [GeneratedRegex(@"AddSendService<[^>]+>\(\s*(?:""(?<literal>\w+)""|(?<constant>[\w.]+))")]
    private static partial Regex AddSendServiceCall();
}
