using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.EventService.Data.Migrations
{
    /// <inheritdoc />
    public partial class Analytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analytics_rollups",
                columns: table => new
                {
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    granularity = table.Column<string>(type: "text", nullable: false),
                    bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    delivered = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    delivery_delayed = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    bounced = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    hard_bounced = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    complained = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    opened = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    clicked = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    unique_opens = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    unique_clicks = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    failed = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    suppressed = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analytics_rollups", x => new { x.organization_id, x.granularity, x.bucket_start });
                });

            migrationBuilder.CreateTable(
                name: "email_engagement",
                columns: table => new
                {
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    email_id = table.Column<string>(type: "text", nullable: false),
                    first_opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_clicked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_engagement", x => new { x.organization_id, x.email_id });
                });

            migrationBuilder.CreateTable(
                name: "email_events",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    email_id = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recipient = table.Column<string>(type: "text", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reputation_findings",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    severity = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    volume = table.Column<long>(type: "bigint", nullable: false),
                    window = table.Column<TimeSpan>(type: "interval", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reputation_findings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reputation_policies",
                columns: table => new
                {
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    policy = table.Column<string>(type: "text", nullable: false),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    paused_reason = table.Column<string>(type: "text", nullable: true),
                    paused_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reputation_policies", x => x.organization_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_events_organization_id_email_id",
                table: "email_events",
                columns: new[] { "organization_id", "email_id" });

            migrationBuilder.CreateIndex(
                name: "ix_email_events_organization_id_id",
                table: "email_events",
                columns: new[] { "organization_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_reputation_findings_organization_id_created_at",
                table: "reputation_findings",
                columns: new[] { "organization_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analytics_rollups");

            migrationBuilder.DropTable(
                name: "email_engagement");

            migrationBuilder.DropTable(
                name: "email_events");

            migrationBuilder.DropTable(
                name: "reputation_findings");

            migrationBuilder.DropTable(
                name: "reputation_policies");
        }
    }
}
