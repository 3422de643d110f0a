namespace Send.BuildingBlocks.Paging;

/// <summary>
/// <c>limit</c>, <c>after</c> and <c>before</c> as every list endpoint takes them. Cursors are
/// ids; ids are ULIDs and sort by creation, so "newest first" is "id descending".
/// </summary>
public sealed record CursorQuery(int Limit, string? After, string? Before)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static bool TryParse(int? limit, string? after, string? before, out CursorQuery query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }

        if (after is not null && before is not null)
        {
            errors["after"] = ["Use either after or before, not both."];
        }

        query = new CursorQuery(limit ?? DefaultLimit, after, before);
        return errors.Count == 0;
    }
}
