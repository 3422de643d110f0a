using System.Text.Json;

namespace Send.Templating.Tests;

public sealed class RenderingTests
{
    private static Dictionary<string, object?> Json(string json) => TemplateValues.FromJson(JsonDocument.Parse(json).RootElement);

    private static RenderedTemplate Render(TemplateDefinition definition, string variables, bool strict = false) =>
        CompiledTemplate.Compile(definition).Render(Json(variables), strict);

    [Fact]
    public void Html_escapes_variables_unless_triple_stashed_and_subject_and_text_do_not()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts("Order for {{name}}", "<p>{{name}}</p><div>{{{banner}}}</div>", "Hi {{name}}")),
            """{"name": "Tom & <Jerry>", "banner": "<b>Sale</b>"}""");
        Assert.Equal("Order for Tom & <Jerry>", rendered.Subject);
        Assert.Equal("<p>Tom &amp; &lt;Jerry&gt;</p><div><b>Sale</b></div>", rendered.Html);
        Assert.Equal("Hi Tom & <Jerry>", rendered.Text);
    }

    [Fact]
    public void A_variable_cannot_add_a_header_line_through_the_subject()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts("Hello {{name}}", null, "x")), """{"name": "Bob\r\nBcc: victim@example.com"}""");
        Assert.Equal("Hello Bob Bcc: victim@example.com", rendered.Subject);
        Assert.DoesNotContain('\n', rendered.Subject!);
    }

    [Fact]
    public void Missing_variables_are_named_by_their_place_in_the_data()
    {
        var definition = new TemplateDefinition(new TemplateParts("{{user.name}}", "{{#each items}}{{title}}{{/each}}{{#if vip}}{{perk}}{{/if}}", null));
        var rendered = Render(definition, """{"user": {}, "items": [{"title": "a"}, {}, {"title": null}]}""", strict: true);
        Assert.Equal(["user.name", "items[1].title", "items[2].title"], rendered.MissingVariables);
        Assert.Null(rendered.Html);

        var lenient = Render(definition, """{"items": [{"title": "a"}]}""");
        Assert.Equal(["user"], lenient.MissingVariables);
        Assert.Equal("a", lenient.Html);
        Assert.Equal("", lenient.Subject);
    }

    [Fact]
    public void Declared_defaults_fill_what_the_sender_leaves_out_object_by_object()
    {
        var defaults = Json("""{"user": {"name": "there", "plan": "free"}, "company": "Acme"}""");
        var rendered = Render(new TemplateDefinition(new TemplateParts("{{company}}", "Hi {{user.name}} ({{user.plan}})", null), Defaults: defaults),
            """{"user": {"plan": "pro"}}""", strict: true);
        Assert.Empty(rendered.MissingVariables);
        Assert.Equal("Hi there (pro)", rendered.Html);
        Assert.Equal("Acme", rendered.Subject);
    }

    [Fact]
    public void A_layout_wraps_the_html_and_text_and_its_own_variables_are_checked()
    {
        var layout = new TemplateParts(null, "<html><body><h1>{{brand}}</h1>{{{@content}}}<footer>{{> legal}}</footer></body></html>", "{{{@content}}}\n--\n{{brand}}");
        var partials = new Dictionary<string, TemplateParts> { ["legal"] = new(null, "&copy; {{brand}} {{year}}", "(c) {{brand}} {{year}}") };
        var definition = new TemplateDefinition(new TemplateParts("Welcome", "<p>Hi {{name}}</p>", "Hi {{name}}"), layout, partials);

        var missing = Render(definition, """{"name": "Ann"}""", strict: true);
        Assert.Equal(["brand", "year"], missing.MissingVariables);

        var rendered = Render(definition, """{"name": "Ann", "brand": "Send", "year": 2026}""", strict: true);
        Assert.Equal("<html><body><h1>Send</h1><p>Hi Ann</p><footer>&copy; Send 2026</footer></body></html>", rendered.Html);
        Assert.Equal("Hi Ann\n--\nSend", rendered.Text);
    }

    [Fact]
    public void Partials_included_in_a_loop_are_checked_item_by_item()
    {
        var partials = new Dictionary<string, TemplateParts> { ["line"] = new(null, "<li>{{sku}} x{{qty}}</li>", null) };
        var definition = new TemplateDefinition(new TemplateParts(null, "<ul>{{#each lines}}{{> line}}{{/each}}</ul>", null), Partials: partials);
        Assert.Equal(["lines[1].qty"], Render(definition, """{"lines": [{"sku": "A", "qty": 1}, {"sku": "B"}]}""", strict: true).MissingVariables);
        Assert.Equal("<ul><li>A x1</li><li>B x2</li></ul>", Render(definition, """{"lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}""").Html);
    }

    [Fact]
    public void Helpers_format_values()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts(null,
            "{{uppercase name}} {{lowercase code}} {{default nick \"friend\"}} {{format_number total 2}} {{#if (eq status \"paid\")}}paid{{/if}}", null)),
            """{"name": "ann", "code": "ABC", "total": 12.5, "status": "paid"}""");
        Assert.Equal("ANN abc friend 12.50 paid", rendered.Html);
    }

    [Fact]
    public void Unicode_passes_through_untouched()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts("Grüße, {{name}} 👋", "<p>{{name}}</p>", "{{name}}")), """{"name": "Zoë 山田"}""");
        Assert.Equal("Grüße, Zoë 山田 👋", rendered.Subject);
        Assert.Equal("Zoë 山田", rendered.Text);
        Assert.Contains("Zoë 山田", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_text_part_a_readable_one_is_derived_from_the_html()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts(null,
            "<html><head><style>p{color:red}</style></head><body><h1>Your order</h1><p>Hello   {{name}},<br>thanks!</p>" +
            "<ul><li>Tea</li><li>Cake</li></ul><p><a href=\"https://shop.example/o/1\">View order</a></p><img src=\"x.png\" alt=\"Logo\"></body></html>", null)),
            """{"name": "Ann"}""");
        Assert.Equal("Your order\n\nHello Ann,\nthanks!\n\n- Tea\n- Cake\n\nView order (https://shop.example/o/1)\n\nLogo", rendered.Text);
    }

    [Fact]
    public void Css_is_inlined_when_asked()
    {
        var rendered = Render(new TemplateDefinition(new TemplateParts(null, "<html><head><style>p { color: red; }</style></head><body><p>Hi</p></body></html>", null), InlineCss: true), "{}");
        Assert.Contains("<p style=\"color: red", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compile_error_names_the_part()
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => CompiledTemplate.Compile(new TemplateDefinition(new TemplateParts("ok", "<p>\n{{#if x}}</p>", null))));
        Assert.Equal("html", error.Part);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void The_cache_compiles_once_per_key_and_does_not_keep_failures()
    {
        var cache = new CompiledTemplateCache(capacity: 2);
        var compiles = 0;
        TemplateDefinition Definition()
        {
            compiles++;
            return new TemplateDefinition(new TemplateParts("{{a}}", null, null));
        }

        var first = cache.GetOrCompile("t1:1", Definition);
        Assert.Same(first, cache.GetOrCompile("t1:1", Definition));
        Assert.Equal(1, compiles);

        Assert.Throws<TemplateSyntaxException>(() => cache.GetOrCompile("bad", () => new TemplateDefinition(new TemplateParts("{{#if}}", null, null))));
        Assert.Throws<TemplateSyntaxException>(() => cache.GetOrCompile("bad", () => new TemplateDefinition(new TemplateParts("{{#if}}", null, null))));
    }
}
