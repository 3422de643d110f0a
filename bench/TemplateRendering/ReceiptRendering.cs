using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Send.Templating;

namespace Send.Bench.TemplateRendering;

/// <summary>
/// One render as EmailService does it per email: the variables arrive as JSON, are converted,
/// checked for missing required values and rendered into subject, HTML (inside a layout with a
/// partial) and text. "Cached" takes the compiled template from the cache, as sends do;
/// "CompileEveryRender" is the baseline that compiles for each email.
/// </summary>
[MemoryDiagnoser]
public class ReceiptRendering
{
    private const string Html = """
        <h2>Thanks for your order, {{customer.first_name}}!</h2>
        <p>Order <strong>#{{order.number}}</strong> placed on {{order.date}}.</p>
        <table>
          {{#each order.lines}}
          <tr><td>{{name}}</td><td>{{quantity}}</td><td>{{format_number price 2}} {{../order.currency}}</td></tr>
          {{/each}}
        </table>
        <p>Total: <strong>{{format_number order.total 2}} {{order.currency}}</strong></p>
        {{#if order.coupon}}<p>Coupon {{order.coupon}} applied.</p>{{/if}}
        <p><a href="{{order.url}}">View your order</a></p>
        """;

    private const string Text = """
        Thanks for your order, {{customer.first_name}}!
        Order #{{order.number}} placed on {{order.date}}.
        {{#each order.lines}}
        - {{name}} x{{quantity}}: {{format_number price 2}} {{../order.currency}}
        {{/each}}
        Total: {{format_number order.total 2}} {{order.currency}}
        View your order: {{order.url}}
        """;

    private const string Variables = """
        {"customer": {"first_name": "Zoë", "email": "zoe@example.com"},
         "order": {"number": "10042", "date": "2026-11-29", "currency": "EUR", "total": 57.4, "coupon": null, "url": "https://shop.example/o/10042",
                   "lines": [{"name": "Green tea", "quantity": 2, "price": 8.5}, {"name": "Teapot <glass>", "quantity": 1, "price": 32.9},
                             {"name": "Honey", "quantity": 1, "price": 7.5}]}}
        """;

    private static readonly TemplateDefinition Receipt = new(
        new TemplateParts("Your order #{{order.number}} is confirmed", Html, Text),
        new TemplateParts(null, "<html><body><header>{{> brand}}</header>{{{@content}}}<footer>Questions? Reply to this email.</footer></body></html>", null),
        new Dictionary<string, TemplateParts> { ["brand"] = new(null, "<img src=\"https://shop.example/logo.png\" alt=\"Shop\">", "Shop") });

    private readonly CompiledTemplateCache _cache = new();
    private readonly JsonElement _variables = JsonDocument.Parse(Variables).RootElement;

    [GlobalSetup]
    public void WarmCache() => _cache.GetOrCompile("receipt:1", () => Receipt);

    [Benchmark(Baseline = true)]
    public RenderedTemplate CompileEveryRender() =>
        CompiledTemplate.Compile(Receipt).Render(TemplateValues.FromJson(_variables), strict: true);

    [Benchmark]
    public RenderedTemplate Cached() =>
        _cache.GetOrCompile("receipt:1", () => Receipt).Render(TemplateValues.FromJson(_variables), strict: true);

    /// <summary>The same template without its text part: the text is derived from the rendered HTML.</summary>
    [Benchmark]
    public RenderedTemplate CachedWithDerivedText() =>
        _cache.GetOrCompile("receipt:html-only", () => Receipt with { Content = Receipt.Content with { Text = null } })
            .Render(TemplateValues.FromJson(_variables), strict: true);
}
