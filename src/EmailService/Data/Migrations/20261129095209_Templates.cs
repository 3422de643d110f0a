using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Send.EmailService.Data.Migrations
{
    /// <inheritdoc />
    public partial class Templates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "template_id",
                table: "emails",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "template_version",
                table: "emails",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "templates",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    organization_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    alias = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    published_version = table.Column<int>(type: "integer", nullable: true),
                    subject = table.Column<string>(type: "text", nullable: true),
                    html = table.Column<string>(type: "text", nullable: true),
                    text = table.Column<string>(type: "text", nullable: true),
                    layout_id = table.Column<string>(type: "text", nullable: true),
                    defaults = table.Column<string>(type: "jsonb", nullable: true),
                    inline_css = table.Column<bool>(type: "boolean", nullable: false),
                    variables = table.Column<string>(type: "jsonb", nullable: false),
                    from = table.Column<string>(type: "text", nullable: true),
                    reply_to = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "template_versions",
                columns: table => new
                {
                    template_id = table.Column<string>(type: "character varying(40)", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: true),
                    html = table.Column<string>(type: "text", nullable: true),
                    text = table.Column<string>(type: "text", nullable: true),
                    layout_id = table.Column<string>(type: "text", nullable: true),
                    defaults = table.Column<string>(type: "jsonb", nullable: true),
                    inline_css = table.Column<bool>(type: "boolean", nullable: false),
                    variables = table.Column<string>(type: "jsonb", nullable: false),
                    partials = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_template_versions", x => new { x.template_id, x.version });
                    table.ForeignKey(
                        name: "fk_template_versions_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_templates_organization_id_alias",
                table: "templates",
                columns: new[] { "organization_id", "alias" },
                unique: true,
                filter: "alias IS NOT NULL AND status <> 'archived'");

            migrationBuilder.CreateIndex(
                name: "ix_templates_organization_id_id",
                table: "templates",
                columns: new[] { "organization_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "template_versions");

            migrationBuilder.DropTable(
                name: "templates");

            migrationBuilder.DropColumn(
                name: "template_id",
                table: "emails");

            migrationBuilder.DropColumn(
                name: "template_version",
                table: "emails");
        }
    }
}
