using Send.BuildingBlocks.Hosting;
using Send.BuildingBlocks.Outbound;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.EmailService.Apis;
using Send.EmailService.Data;
using Send.EmailService.Domains;
using Send.EmailService.Feedback;
using Send.EmailService.Sending;
using Send.EmailService.Templates;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EmailDbContext>("emaildb", AppIds.EmailService);
builder.AddSendingWorker();
builder.Services.AddTemplates();
builder.AddDomains();
builder.AddFeedback();
builder.Services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section);
builder.Services.AddSingleton<RemoteAttachments>();
// An email may carry 40 MB of attachments, which is about 54 MB once base64-encoded in JSON.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024);

var app = builder.Build();
app.UseSendService<EmailDbContext>();
app.MapEmailsApi();
app.MapBatchApi();
app.MapTemplatesApi();
app.MapDomainsApi();
app.MapSuppressionsApi();
app.MapUnsubscribe();
var messagingApp = app.Services.GetRequiredService<MessagingApp>();
app.MapSendingWorker(messagingApp);
app.MapFeedback(messagingApp);

if (await app.RunSendCommandAsync<EmailDbContext>(args))
{
    return;
}

await app.RunAsync();
