using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DiscardedProducts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                table: "CellProducts",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DiscardedAt",
                table: "CellProducts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscardedById",
                table: "CellProducts",
                type: "TEXT",
                maxLength: 450,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DiscardReason",
                table: "CellProducts");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                table: "CellProducts");

            migrationBuilder.DropColumn(
                name: "DiscardedById",
                table: "CellProducts");
        }
    }
}
