namespace Send.Contracts;

/// <summary>Names of the Dapr components the code refers to (see components/ and the chart).</summary>
public static class Components
{
    /// <summary>The pub/sub component: <c>pubsub.aws.snssqs</c> on AWS, <c>pubsub.redis</c> elsewhere.</summary>
    public const string PubSub = "pubsub";

    /// <summary>The <c>state.redis</c> state store.</summary>
    public const string StateStore = "statestore";
}
