using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Sending;

public static class SendQueueEvents
{
    /// <summary>Adds the worker's queue event for an email to the unit of work: the priority topic for priority sends.</summary>
    public static void Announce(EmailDbContext db, Email email, DateTimeOffset now) => db.Set<OutboxMessage>().Add(Message(email, now));

    /// <summary>The worker's queue event for an email, as an outbox message for a bulk writer (<see cref="Outbox.InsertAsync"/>).</summary>
    public static OutboxMessage Message(Email email, DateTimeOffset now) =>
        Outbox.Message(email.Priority ? Topics.EmailSendPriority : Topics.EmailSend, new EmailQueued(email.Id, email.OrganizationId, email.Priority, email.Test, now), now);
}
