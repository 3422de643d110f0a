using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.EmailService.Sending;

namespace Send.EmailService.Tests;

/// <summary>
/// <c>Sending:Worker</c> decides whether a process takes sends. The Helm chart runs EmailService
/// twice, an API deployment with it off and a worker deployment with it on; daprd learns what to
/// deliver from <c>/dapr/subscribe</c>, so that answer is what is checked.
/// </summary>
public sealed class WorkerSwitchTests
{
    [Fact]
    public async Task By_default_the_process_subscribes_to_both_send_queues()
    {
        var topics = await SubscribedTopicsAsync(worker: null);

        Assert.Contains(Topics.EmailSend, topics);
        Assert.Contains(Topics.EmailSendPriority, topics);
    }

    [Fact]
    public async Task With_the_worker_switched_off_the_process_subscribes_to_no_send_queue()
    {
        var topics = await SubscribedTopicsAsync(worker: "false");

        Assert.DoesNotContain(Topics.EmailSend, topics);
        Assert.DoesNotContain(Topics.EmailSendPriority, topics);
    }

    /// <summary>Starts a small app with the worker's endpoints on a free port and asks it what daprd would.</summary>
    private static async Task<List<string>> SubscribedTopicsAsync(string? worker)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (worker is not null)
        {
            builder.Configuration[$"{SendingOptions.SectionName}:{nameof(SendingOptions.Worker)}"] = worker;
        }

        builder.AddSendingWorker();
        // The scheduler needs a database; only the endpoints are under test here.
        builder.Services.RemoveAll<IHostedService>();
        await using var app = builder.Build();
        app.MapSubscribeHandler();
        app.MapSendingWorker(new MessagingApp(AppIds.EmailService, Components.PubSub));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var subscriptions = await http.GetFromJsonAsync<JsonElement>("/dapr/subscribe");
        await app.StopAsync();
        return subscriptions.EnumerateArray().Select(s => s.GetProperty("topic").GetString()!).ToList();
    }
}
