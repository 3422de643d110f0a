using System.Text;
using Amazon.Runtime;

namespace Send.ProviderClients.Tests;

/// <summary>AWS's published Signature Version 4 test-suite vectors (and the S3 documentation's GET Object example).</summary>
public sealed class AwsSigV4Tests
{
    private static readonly ImmutableCredentials Suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

    [Theory]
    [InlineData("get-vanilla", "GET", "/", "", "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("post-vanilla", "POST", "/", "", "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "",
        "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("get-header-value-trim", "GET", "/", "My-Header1: value1|My-Header2:\"a   b   c\"",
        "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")]
    [InlineData("post-header-value-case", "POST", "/", "My-Header1:VALUE1",
        "SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")]
    [InlineData("get-header-key-duplicate", "GET", "/", "My-Header1:value2,value2,value1",
        "SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")]
    public void Signatures_match_the_AWS_test_suite(string vector, string method, string pathAndQuery, string headers, string expected)
    {
        var given = headers.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(h => h.Split(':', 2)).ToDictionary(h => h[0], h => h[1]);
        var signed = AwsSigV4.Sign(new HttpMethod(method), new Uri("https://example.amazonaws.com" + pathAndQuery), given, [], Suite, "us-east-1", "service", SuiteTime);
        Assert.True(Scope + expected == signed["Authorization"], vector);
        Assert.Equal("20150830T123600Z", signed["x-amz-date"]);
    }

    [Fact]
    public void The_S3_get_object_example_with_a_content_hash_and_a_range_header_matches()
    {
        var credentials = new ImmutableCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
        var signed = AwsSigV4.Sign(HttpMethod.Get, new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), new Dictionary<string, string> { ["Range"] = "bytes=0-9" },
            [], credentials, "us-east-1", "s3", new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc), includeContentHash: true);
        Assert.EndsWith("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            signed["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_token_is_sent_and_signed_and_a_changed_body_changes_the_signature()
    {
        var withToken = new ImmutableCredentials("AKIDEXAMPLE", "secret", "session-token");
        var uri = new Uri("https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails");
        var a = AwsSigV4.Sign(HttpMethod.Post, uri, new Dictionary<string, string>(), Encoding.UTF8.GetBytes("{\"a\":1}"), withToken, "eu-west-1", "ses", SuiteTime);
        var b = AwsSigV4.Sign(HttpMethod.Post, uri, new Dictionary<string, string>(), Encoding.UTF8.GetBytes("{\"a\":2}"), withToken, "eu-west-1", "ses", SuiteTime);
        Assert.Equal("session-token", a["x-amz-security-token"]);
        Assert.Contains("x-amz-security-token", a["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/20150830/eu-west-1/ses/aws4_request", a["Authorization"], StringComparison.Ordinal);
        Assert.NotEqual(a["Authorization"], b["Authorization"]);
    }
}
