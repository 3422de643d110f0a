using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Send.BuildingBlocks.Data;

public static class SqlBatches
{
    /// <summary>
    /// Runs <paramref name="commands"/> on the context's connection in one round trip. Inside the
    /// caller's transaction when one is open; otherwise the batch is its own (implicit)
    /// transaction: a failing command rolls back the ones before it and skips the rest.
    /// </summary>
    public static async Task ExecuteBatchAsync(this DbContext db, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
