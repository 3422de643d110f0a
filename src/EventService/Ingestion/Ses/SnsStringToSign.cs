using System.Text;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// The bytes SNS signs, as AWS documents them: "Name\nvalue\n" for a fixed list of fields in
/// byte order of their names. A Notification signs Message, MessageId, Subject (only when the
/// message has one), Timestamp, TopicArn, Type; the two confirmations sign Message, MessageId,
/// SubscribeURL, Timestamp, Token, TopicArn, Type.
/// </summary>
public static class SnsStringToSign
{
    public static byte[] For(SnsMessage message)
    {
        var text = new StringBuilder();
        Append(text, "Message", message.Message);
        Append(text, "MessageId", message.MessageId);
        if (message.Type == SnsMessage.NotificationType)
        {
            if (message.Subject is not null)
            {
                Append(text, "Subject", message.Subject);
            }
        }
        else
        {
            Append(text, "SubscribeURL", message.SubscribeUrl!);
        }

        Append(text, "Timestamp", message.Timestamp);
        if (message.Type != SnsMessage.NotificationType)
        {
            Append(text, "Token", message.Token!);
        }

        Append(text, "TopicArn", message.TopicArn);
        Append(text, "Type", message.Type);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Append(StringBuilder text, string name, string value) => text.Append(name).Append('\n').Append(value).Append('\n');
}
