using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Send.TestSupport;

namespace Send.Deployment.Tests;

/// <summary>
/// The images come from the SDK's container support (src/Containers.props). No registry is
/// reachable here to build them, so the settings are read from MSBuild's own evaluation of each
/// service project, as `dotnet publish /t:PublishContainer` would see them, and held to the chart.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly Lazy<Task<Dictionary<string, JsonNode>>> Evaluations = new(EvaluateAllAsync);
    private static readonly JsonObject Values = Chart.Values();

    [Fact]
    public async Task Every_image_listens_on_the_port_the_chart_uses()
    {
        var port = Values["port"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture);
        foreach (var (folder, evaluation) in await Evaluations.Value)
        {
            var ports = Items(evaluation, "ContainerPort");
            Assert.True(ports.Count == 1 && ports[0]["Identity"]?.ToString() == port && ports[0]["Type"]?.ToString() == "tcp",
                $"src/{folder}: ContainerPort is [{string.Join(", ", ports.Select(p => p["Identity"]))}]; the chart's port is {port} (tcp).");
            var httpPorts = Items(evaluation, "ContainerEnvironmentVariable").SingleOrDefault(v => v["Identity"]?.ToString() == "ASPNETCORE_HTTP_PORTS");
            Assert.True(httpPorts?["Value"]?.ToString() == port, $"src/{folder}: the image's ASPNETCORE_HTTP_PORTS is {httpPorts?["Value"]}; Kestrel must listen on {port}.");
        }

        Assert.Contains("dapr.io/app-port: {{ $.Values.port | quote }}", Chart.Template("deployments.yaml"), StringComparison.Ordinal);
        Assert.Contains("containerPort: {{ $.Values.port }}", Chart.Template("deployments.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_image_runs_as_the_non_root_user_the_chart_enforces()
    {
        var runAsUser = Values["securityContext"]!["runAsUser"]!.GetValue<long>();
        Assert.True(runAsUser > 0, "securityContext.runAsUser must not be root.");

        foreach (var (folder, evaluation) in await Evaluations.Value)
        {
            var user = Property(evaluation, "ContainerUser");
            Assert.True(user == runAsUser.ToString(CultureInfo.InvariantCulture),
                $"src/{folder}: ContainerUser is '{user}'; the chart runs pods as {runAsUser}. A numeric user lets Kubernetes enforce runAsNonRoot.");
        }
    }

    [Fact]
    public async Task Every_image_is_built_on_a_chiseled_base_that_has_the_globalization_data_the_code_needs()
    {
        foreach (var (folder, evaluation) in await Evaluations.Value)
        {
            var baseImage = Property(evaluation, "ContainerBaseImage");
            Assert.True(baseImage.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal) && baseImage.Contains("-chiseled", StringComparison.Ordinal),
                $"src/{folder}: ContainerBaseImage is '{baseImage}'; use a chiseled ASP.NET image (no shell, no package manager, non-root).");
            if (!bool.TryParse(Property(evaluation, "InvariantGlobalization"), out var invariant) || !invariant)
            {
                Assert.True(baseImage.EndsWith("-extra", StringComparison.Ordinal),
                    $"src/{folder}: InvariantGlobalization is off, so the app needs ICU, which only the -chiseled-extra images carry; the base is '{baseImage}'.");
            }
        }
    }

    [Fact]
    public async Task The_chart_pulls_each_image_by_its_projects_repository_and_version()
    {
        var evaluations = await Evaluations.Value;
        foreach (var workload in Chart.EnabledWorkloads(Values))
        {
            var appId = Chart.Text(workload["appId"])!;
            var folder = ServiceProjects.Folder(appId);
            var repository = Property(evaluations[folder], "ContainerRepository");
            Assert.True(Chart.Text(workload["repository"]) == repository,
                $"values.yaml: '{appId}' pulls '{Chart.Text(workload["repository"])}'; src/{folder} publishes '{repository}' (ContainerRepository).");
        }

        var chart = Yaml.LoadDocuments(Path.Combine(Chart.Folder, "Chart.yaml"))[0];
        foreach (var (folder, evaluation) in evaluations)
        {
            // The SDK tags an image with $(Version) when no tag is given; the chart pulls appVersion.
            Assert.True(Property(evaluation, "Version") == Yaml.Text(chart, "appVersion"),
                $"src/{folder} has Version {Property(evaluation, "Version")}; Chart.yaml's appVersion is {Yaml.Text(chart, "appVersion")}. Keep them equal.");
            Assert.True(Property(evaluation, "ContainerImageTag").Length == 0 && Property(evaluation, "ContainerImageTags").Length == 0,
                $"src/{folder} sets its own image tag; the chart expects the SDK's default, $(Version).");
        }
    }

    [Fact]
    public async Task Every_image_carries_its_OCI_title_and_description()
    {
        foreach (var (folder, evaluation) in await Evaluations.Value)
        {
            var labels = Items(evaluation, "ContainerLabel").ToDictionary(l => l["Identity"]!.ToString(), l => l["Value"]?.ToString() ?? "");
            Assert.Equal(Property(evaluation, "ContainerRepository"), labels.GetValueOrDefault("org.opencontainers.image.title"));
            Assert.False(string.IsNullOrWhiteSpace(labels.GetValueOrDefault("org.opencontainers.image.description")), $"src/{folder}: the image has no description label.");
        }
    }

    private static string Property(JsonNode evaluation, string name) => evaluation["Properties"]?[name]?.ToString() ?? "";

    private static List<JsonNode> Items(JsonNode evaluation, string name) =>
        evaluation["Items"]?[name]?.AsArray().OfType<JsonNode>().ToList() ?? [];

    private static async Task<Dictionary<string, JsonNode>> EvaluateAllAsync()
    {
        var results = await Task.WhenAll(ServiceProjects.Folders.Select(async folder => (folder, await EvaluateAsync(folder))));
        return results.ToDictionary(r => r.folder, r => r.Item2);
    }

    /// <summary>`dotnet msbuild -getProperty/-getItem`: evaluation only, no build, about a second per project.</summary>
    private static async Task<JsonNode> EvaluateAsync(string folder)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(Path.Combine("src", folder, $"{folder}.csproj"));
        start.ArgumentList.Add("-nologo");
        foreach (var property in new[] { "ContainerRepository", "ContainerBaseImage", "ContainerUser", "ContainerImageTag", "ContainerImageTags", "Version", "InvariantGlobalization" })
        {
            start.ArgumentList.Add($"-getProperty:{property}");
        }

        foreach (var item in new[] { "ContainerPort", "ContainerEnvironmentVariable", "ContainerLabel" })
        {
            start.ArgumentList.Add($"-getItem:{item}");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild could not evaluate src/{folder}: {await error}{await output}");
        return JsonNode.Parse(await output)!;
    }
}
