namespace Send.EventService.Ingestion;

/// <summary>
/// What a provider callback is answered with when it was accepted: how many provider events
/// were published, and why none were when that is the case (a Send event, a confirmation).
/// </summary>
public sealed record IngestAnswer(int Published, string? Note = null);
