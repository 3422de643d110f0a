namespace Send.Templating.Tests;

public sealed class VariableExtractionTests
{
    private static List<string> Variables(string template) =>
        [.. TemplateAnalyzer.Analyze(template).Variables.Flatten().Select(v => $"{v.Name}:{v.Kind.ToString().ToLowerInvariant()}{(v.Required ? "" : "?")}")];

    [Theory]
    [InlineData("Hello {{name}}", "name:value")]
    [InlineData("{{user.name}} {{user.email}}", "user:record,user.email:value,user.name:value")]
    [InlineData("{{user/name}}", "user:record,user.name:value")]
    [InlineData("{{{raw}}}", "raw:value")]
    [InlineData("{{#each items}}{{title}} {{price}}{{/each}}", "items:list,items[].price:value,items[].title:value")]
    [InlineData("{{#each items}}{{this}}{{/each}}", "items:list")]
    [InlineData("{{#each items}}{{@index}} {{@first}}{{/each}}", "items:list")]
    [InlineData("{{#each items}}{{../currency}}{{/each}}", "currency:value,items:list")]
    [InlineData("{{#each items as |item i|}}{{item.sku}} {{i}}{{/each}}", "items:list,items[].sku:value")]
    [InlineData("{{#each orders}}{{#each lines}}{{qty}} {{../id}} {{../../user}}{{/each}}{{/each}}",
        "orders:list,orders[].id:value,orders[].lines:list,orders[].lines[].qty:value,user:value")]
    [InlineData("{{#with address}}{{street}} {{city}}{{/with}}", "address:record,address.city:value,address.street:value")]
    [InlineData("{{#with address as |a|}}{{a.zip}}{{/with}}", "address:record,address.zip:value")]
    [InlineData("{{#if vip}}Dear {{title}}{{else}}Hi {{name}}{{/if}}", "name:value?,title:value?,vip:value?")]
    [InlineData("{{#unless paid}}{{due}}{{/unless}}", "due:value?,paid:value?")]
    [InlineData("{{#if a}}x{{else if b}}{{c}}{{/if}}", "a:value?,b:value?,c:value?")]
    [InlineData("{{#each items}}{{#if on_sale}}{{sale_price}}{{/if}}{{../x}}{{/each}}", "items:list,items[].on_sale:value?,items[].sale_price:value?,x:value")]
    [InlineData("{{#if user}}{{/if}}{{user.name}}", "user:record,user.name:value")]
    [InlineData("{{#each items}}{{#if @last}}{{@root.footer}}{{/if}}{{/each}}", "footer:value?,items:list")]
    [InlineData("{{uppercase name}} {{format_number total 2}}", "name:value,total:value")]
    [InlineData("{{default nickname \"friend\"}}", "nickname:value?")]
    [InlineData("{{#if (eq status \"paid\")}}ok{{/if}}", "status:value?")]
    [InlineData("{{lookup prices sku}}", "prices:value,sku:value")]
    [InlineData("{{!-- a comment {{not_a_variable}} --}}{{shown}}", "shown:value")]
    [InlineData("{{this.name}} {{./age}}", "age:value,name:value")]
    [InlineData("{{[first name]}}", "first name:value")]
    [InlineData("{{true}} {{42}}", "")]
    [InlineData("Ünïcødé {{prénom}}", "prénom:value")]
    public void Variables_come_from_the_template_structure(string template, string expected) =>
        Assert.Equal(expected, string.Join(',', Variables(template)));

    [Fact]
    public void Partials_are_recorded_with_the_context_they_read()
    {
        var analysis = TemplateAnalyzer.Analyze("{{> header}}{{#each items}}{{> line}}{{/each}}{{> card person}}");
        Assert.Equal(["card", "header", "line"], analysis.Partials);
        Assert.Equal(["header"], analysis.Variables.Partials);
        var items = Assert.Single(analysis.Variables.Members, m => m.Name == "items");
        Assert.Equal(["line"], items.Partials);
        Assert.Equal(["card"], Assert.Single(analysis.Variables.Members, m => m.Name == "person").Partials);
    }

    [Fact]
    public void A_layout_places_the_content()
    {
        Assert.True(TemplateAnalyzer.Analyze("<main>{{{@content}}}</main>").PlacesContent);
        Assert.False(TemplateAnalyzer.Analyze("<main>{{content}}</main>").PlacesContent);
    }

    [Theory]
    [InlineData("Hi {{name", 1, "closed")]
    [InlineData("line one\n{{#if a}}open", 2, "never closed")]
    [InlineData("{{#each items}}{{/if}}", 1, "closes {{#each}}")]
    [InlineData("ok\nok\n{{/each}}", 3, "never opened")]
    [InlineData("{{shout name}}", 1, "Unknown helper 'shout'")]
    [InlineData("{{#items}}x{{/items}}", 1, "Unknown block helper 'items'")]
    [InlineData("{{#each}}x{{/each}}", 1, "needs a variable")]
    [InlineData("{{else}}", 1, "outside a block")]
    public void Malformed_templates_are_refused_with_a_position(string template, int line, string reason)
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => TemplateAnalyzer.Analyze(template));
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.True(error.Column >= 0);
    }
}
