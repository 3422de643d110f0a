using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.KeyService.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_key_usage",
                columns: table => new
                {
                    api_key_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    service = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_key_usage", x => new { x.api_key_id, x.service, x.day });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_key_usage");
        }
    }
}
