using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.WebhookService.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimPerEndpoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_next_attempt_at",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_endpoint_id_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "endpoint_id", "next_attempt_at" },
                filter: "status IN ('pending', 'sending')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_endpoint_id_next_attempt_at",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "status IN ('pending', 'sending')");
        }
    }
}
