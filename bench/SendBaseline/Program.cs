using System.Text.Json;
using Npgsql;

// POST /v1/emails: read the JSON body, then in one transaction insert the email row, its first
// timeline step and its outbox message into EmailService's own tables. No key check, no
// validation, no gateway: the floor under what accepting an email durably can cost.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var dataSource = NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("emaildb")!);
var app = builder.Build();

app.MapPost("/v1/emails", async (HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var root = body.RootElement;
    var id = $"send_{Guid.CreateVersion7():N}"[..32];
    var now = DateTimeOffset.UtcNow;
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    await using var batch = new NpgsqlBatch(connection, transaction)
    {
        BatchCommands =
        {
            new("""
                INSERT INTO emails (id, organization_id, test, "from", from_domain, "to", cc, bcc, reply_to, suppressed, recipients, subject,
                                    html, text, headers, tags, priority, status, created_at, message_id, attempts)
                VALUES ($1, 'org_bench', false, $2, 'bench.test', ARRAY[$3], '{}', '{}', '{}', '{}', ARRAY[$3], $4, $5, null, '{}', '[]', false, 'queued', $6, $7, 0)
                """)
            {
                Parameters =
                {
                    new() { Value = id }, new() { Value = root.GetProperty("from").GetString() }, new() { Value = root.GetProperty("to").GetString() },
                    new() { Value = root.GetProperty("subject").GetString() }, new() { Value = root.GetProperty("html").GetString() },
                    new() { Value = now }, new() { Value = $"<{id}@bench.test>" },
                },
            },
            new("INSERT INTO email_timeline (email_id, status, occurred_at) VALUES ($1, 'queued', $2)")
            {
                Parameters = { new() { Value = id }, new() { Value = now } },
            },
            new("""
                INSERT INTO outbox_messages (id, topic, type, payload, created_at, attempts, published_at)
                VALUES ($1, 'baseline', 'send.email.queued.v1', $2::jsonb, $3, 0, $3)
                """)
            {
                Parameters = { new() { Value = Guid.CreateVersion7() }, new() { Value = $$"""{"email_id":"{{id}}"}""" }, new() { Value = now } },
            },
        },
    };
    await batch.ExecuteNonQueryAsync();
    await transaction.CommitAsync();
    return Results.Json(new { id, status = "queued" });
});

app.Run();
