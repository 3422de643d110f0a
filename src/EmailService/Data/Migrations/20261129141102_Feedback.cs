using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.EmailService.Data.Migrations
{
    /// <inheritdoc />
    public partial class Feedback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "detail",
                table: "suppressions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "id",
                table: "suppressions",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Rows from before suppressions had ids get one of the same shape (sup_ + 26 characters).
            migrationBuilder.Sql("UPDATE suppressions SET id = 'sup_' || substr(md5(random()::text || organization_id || email), 1, 26) WHERE id = ''");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "keep_until",
                table: "suppressions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source_email_id",
                table: "suppressions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sending_pauses",
                columns: table => new
                {
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sending_pauses", x => x.organization_id);
                });

            migrationBuilder.CreateTable(
                name: "soft_bounces",
                columns: table => new
                {
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    first_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_soft_bounces", x => new { x.organization_id, x.email });
                });

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_id",
                table: "suppressions",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_organization_id_id",
                table: "suppressions",
                columns: new[] { "organization_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_emails_message_id",
                table: "emails",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_emails_provider_message_id",
                table: "emails",
                column: "provider_message_id",
                filter: "provider_message_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sending_pauses");

            migrationBuilder.DropTable(
                name: "soft_bounces");

            migrationBuilder.DropIndex(
                name: "ix_suppressions_id",
                table: "suppressions");

            migrationBuilder.DropIndex(
                name: "ix_suppressions_organization_id_id",
                table: "suppressions");

            migrationBuilder.DropIndex(
                name: "ix_emails_message_id",
                table: "emails");

            migrationBuilder.DropIndex(
                name: "ix_emails_provider_message_id",
                table: "emails");

            migrationBuilder.DropColumn(
                name: "detail",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "id",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "keep_until",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "source_email_id",
                table: "suppressions");
        }
    }
}
