using Send.ServiceDefaults.Identity;

namespace Send.Gateway.Authentication;

/// <summary>
/// Who a request on an unauthenticated route is, as the Gateway tells the service: nobody in
/// particular. It is still a signed identity (bound to method and path), so the service behind
/// stays unreachable except through the Gateway, and a handler asking for an organization gets none.
/// </summary>
public sealed class AnonymousCaller
{
    public const string Kind = "anonymous";

    public static readonly AnonymousCaller Instance = new();

    private AnonymousCaller()
    {
        Caller = new Caller { Kind = Kind };
        EncodedCaller = InternalIdentityToken.EncodeCaller(Caller);
    }

    public Caller Caller { get; }

    public string EncodedCaller { get; }
}
