using System.Security.Cryptography;
using Send.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var ports = LocalPorts.FromConfiguration(builder.Configuration);
var dataDirectory = LocalData.Directory(builder.Configuration, builder.AppHostDirectory);

var redis = builder.AddLocalRedis(ports.Redis, dataDirectory);
var postgres = builder.AddLocalPostgres(ports.Postgres, dataDirectory);
var mail = builder.AddMailCatcher(ports.SmtpPort, ports.MailWeb);

// A fresh internal-identity secret per run: signed identities live for a minute, so nothing
// needs to survive a restart, and no well-known development secret exists to leak.
var identitySecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
var bootstrapKey = builder.Configuration["SEND_BOOTSTRAP_API_KEY"];

var keys = builder.AddSendService<Projects.KeyService>("keyservice", postgres.Database("keysdb", "send_keys"), redis, identitySecret)
    .WithEnvironment("SEND_BOOTSTRAP_API_KEY", bootstrapKey);
var email = builder.AddSendService<Projects.EmailService>("emailservice", postgres.Database("emaildb", "send_email"), redis, identitySecret)
    .WithEnvironment("ConnectionStrings__smtp", mail.SmtpConnectionString)
    .WithEnvironment("Send__Secrets__EncryptionKey", LocalData.EncryptionKey(dataDirectory));
var events = builder.AddSendService<Projects.EventService>("eventservice", postgres.Database("eventsdb", "send_events"), redis, identitySecret);
// Locally a webhook receiver is usually on this machine, so loopback and private addresses are allowed (never in production).
var webhooks = builder.AddSendService<Projects.WebhookService>("webhookservice", postgres.Database("webhooksdb", "send_webhooks"), redis, identitySecret)
    .WithEnvironment("Send__Secrets__EncryptionKey", LocalData.EncryptionKey(dataDirectory))
    .WithEnvironment("Outbound__AllowPrivateNetworks", "true");

builder.AddProject<Projects.Gateway>("gateway")
    .WithEnvironment("Send__InternalIdentity__Secret", identitySecret)
    .WithReference(redis)
    .WithReference(keys).WithReference(email).WithReference(events).WithReference(webhooks)
    .WithHttpHealthCheck("/health/ready")
    .WaitFor(keys);

await builder.Build().RunAsync();
