using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.EmailService.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailRecipients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "recipients",
                table: "emails",
                type: "text[]",
                nullable: false);

            migrationBuilder.CreateIndex(
                name: "ix_emails_recipients",
                table: "emails",
                column: "recipients")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_emails_recipients",
                table: "emails");

            migrationBuilder.DropColumn(
                name: "recipients",
                table: "emails");
        }
    }
}
