// The cheapest possible service behind the Gateway, so a benchmark measures the Gateway's own
// work (proxying, and with the front door on: key check, quota, usage) and nothing else.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/{**path}", () => Results.Text("""{"object":"list","data":[]}""", "application/json"));
await app.RunAsync();
