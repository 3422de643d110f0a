using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.EmailService.Data.Migrations
{
    /// <inheritdoc />
    public partial class Domains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "click_tracking",
                table: "domains",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "dkim_private_key_sealed",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dkim_public_key",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dkim_selector",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_checked_at",
                table: "domains",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_check_at",
                table: "domains",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "open_tracking",
                table: "domains",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ownership_token",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "records",
                table: "domains",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'[]'::jsonb");

            migrationBuilder.AddColumn<string>(
                name: "region",
                table: "domains",
                type: "text",
                nullable: false,
                defaultValue: "us-east-1");

            migrationBuilder.AddColumn<string>(
                name: "return_path_subdomain",
                table: "domains",
                type: "text",
                nullable: false,
                defaultValue: "send");

            migrationBuilder.AddColumn<string>(
                name: "tls",
                table: "domains",
                type: "text",
                nullable: false,
                defaultValue: "opportunistic");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "verified_at",
                table: "domains",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_domains_name",
                table: "domains",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_domains_next_check_at",
                table: "domains",
                column: "next_check_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_domains_name",
                table: "domains");

            migrationBuilder.DropIndex(
                name: "ix_domains_next_check_at",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "click_tracking",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "dkim_private_key_sealed",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "dkim_public_key",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "dkim_selector",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_checked_at",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "next_check_at",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "open_tracking",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "ownership_token",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "records",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "region",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "return_path_subdomain",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "tls",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "verified_at",
                table: "domains");
        }
    }
}
