using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Send.EmailService.Sending.Providers;

// Usage: Send.Bench.SmtpDelivery <sink port> <emails per run> <rounds> <concurrency>
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
var concurrency = int.Parse(args[3], CultureInfo.InvariantCulture);

var options = Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, PoolSize = concurrency });
using var pooled = new SmtpProvider(options);
var pooledRates = new List<double>();
var freshRates = new List<double>();

// Warm up both paths (JIT, first connections).
await RunAsync(200, e => pooled.SendAsync(e, CancellationToken.None));
await RunAsync(50, NewConnectionAsync);

for (var round = 1; round <= rounds; round++)
{
    // Alternate the order so neither mode always runs on a warmer machine.
    var (first, second) = round % 2 == 1 ? ("pooled", "fresh") : ("fresh", "pooled");
    foreach (var mode in new[] { first, second })
    {
        var rate = mode == "pooled"
            ? await RunAsync(count, e => pooled.SendAsync(e, CancellationToken.None))
            : await RunAsync(count, NewConnectionAsync);
        (mode == "pooled" ? pooledRates : freshRates).Add(rate);
        Console.WriteLine($"round {round} {mode,-6} {rate,8:F0} emails/s");
    }
}

var pooledMedian = Median(pooledRates);
var freshMedian = Median(freshRates);
Console.WriteLine($"median: pooled {pooledMedian:F0} emails/s, new connection per message {freshMedian:F0} emails/s, ratio {pooledMedian / freshMedian:F2}x");

async Task<double> RunAsync(int emails, Func<OutgoingEmail, Task<ProviderResult>> send)
{
    var next = 0;
    var failures = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= emails)
        {
            var result = await send(Email(next));
            if (result.Outcome != ProviderOutcome.Accepted)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    if (failures > 0)
    {
        throw new InvalidOperationException($"{failures} sends failed");
    }

    return emails / clock.Elapsed.TotalSeconds;
}

// The baseline: what sending costs without a pool — connect, EHLO, send, QUIT for every message.
async Task<ProviderResult> NewConnectionAsync(OutgoingEmail email)
{
    using var client = new SmtpClient();
    await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
    await client.SendAsync(email.Message, email.Sender, email.Recipients);
    await client.DisconnectAsync(quit: true);
    return ProviderResult.Accepted("");
}

static OutgoingEmail Email(int n)
{
    var message = new MimeMessage { Subject = $"Your receipt #{n}", MessageId = $"bench-{n}@bench.test" };
    message.From.Add(new MailboxAddress("Shop", "shop@bench.test"));
    message.To.Add(new MailboxAddress("Buyer", $"buyer{n % 100}@example.com"));
    message.Body = new BodyBuilder
    {
        TextBody = string.Concat(Enumerable.Repeat("Thanks for your order. ", 40)),
        HtmlBody = "<html><body>" + string.Concat(Enumerable.Repeat("<p>Thanks for your order.</p>", 60)) + "</body></html>",
    }.ToMessageBody();
    return new OutgoingEmail($"send_{n}", "org_bench", message, message.From.Mailboxes.First(), [.. message.To.Mailboxes]);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
