using Microsoft.EntityFrameworkCore;

namespace Send.BuildingBlocks.Data;

public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the context's execution strategy,
    /// which retries the whole unit on a transient failure (a user transaction cannot be retried
    /// statement by statement). Each attempt starts from a clean change tracker, so
    /// <paramref name="work"/> must make all its changes itself. An exception rolls back.
    /// EF's automatic savepoints (a SAVEPOINT and a RELEASE around every SaveChanges in a user
    /// transaction, two extra round trips) are off: a failure here retries the whole unit, so
    /// there is nothing to roll back to part-way.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);

    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async token =>
        {
            await work(token);
            return true;
        }, cancellationToken);
}
