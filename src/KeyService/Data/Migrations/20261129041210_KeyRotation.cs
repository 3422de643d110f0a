using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.KeyService.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_key_expires_at",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_key_hash",
                table: "api_keys",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_key_prefix",
                table: "api_keys",
                type: "character(16)",
                fixedLength: true,
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_previous_key_prefix",
                table: "api_keys",
                column: "previous_key_prefix",
                filter: "previous_key_prefix IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_api_keys_previous_key_prefix",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "previous_key_expires_at",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "previous_key_hash",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "previous_key_prefix",
                table: "api_keys");
        }
    }
}
