using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Send.BuildingBlocks.Paging;

public static class CursorPaging
{
    /// <summary>
    /// One page of <paramref name="source"/>, newest first, by a ULID-style id: <c>after</c>
    /// walks to older rows, <c>before</c> back to newer ones. One extra row is read to learn
    /// <c>has_more</c>, so a page costs one query.
    /// </summary>
    public static async Task<CursorPage<TOut>> ToCursorPageAsync<T, TOut>(
        this IQueryable<T> source, CursorQuery page, Expression<Func<T, string>> id, Func<T, TOut> project, CancellationToken cancellationToken)
    {
        if (page.Before is not null)
        {
            var newer = await source.Where(Compare(id, page.Before, Expression.GreaterThan))
                .OrderBy(id).Take(page.Limit + 1).ToListAsync(cancellationToken);
            return new CursorPage<TOut>([.. newer.Take(page.Limit).Reverse().Select(project)], newer.Count > page.Limit);
        }

        var older = page.After is null ? source : source.Where(Compare(id, page.After, Expression.LessThan));
        var rows = await older.OrderByDescending(id).Take(page.Limit + 1).ToListAsync(cancellationToken);
        return new CursorPage<TOut>([.. rows.Take(page.Limit).Select(project)], rows.Count > page.Limit);
    }

    /// <summary><c>id.CompareTo(cursor) op 0</c>, with the cursor as a query parameter (not a literal).</summary>
    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, string>> id, string cursor, Func<Expression, Expression, BinaryExpression> op)
    {
        var cursorValue = Expression.Property(Expression.Constant(new CursorHolder(cursor)), nameof(CursorHolder.Value));
        var compareTo = Expression.Call(id.Body, typeof(string).GetMethod(nameof(string.CompareTo), [typeof(string)])!, cursorValue);
        return Expression.Lambda<Func<T, bool>>(op(compareTo, Expression.Constant(0)), id.Parameters);
    }

    private sealed record CursorHolder(string Value);
}
