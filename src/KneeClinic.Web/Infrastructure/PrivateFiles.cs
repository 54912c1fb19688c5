namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The data folder holds patient data (the SQLite database with its WAL and shared-memory files, the scans of signed
/// forms), so only the account the app runs as may read it: folders 0700, files 0600. New ones are created so; ones
/// left readable by an earlier version or a copy are tightened at start. (Windows keeps its own access lists.)
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and any missing parent) for the app alone, or takes an existing one back to 0700.</summary>
    public static void Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>Takes each existing file back to 0600.</summary>
    public static void Tighten(params string[] files)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var file in files.Where(File.Exists))
            File.SetUnixFileMode(file, FileMode);
    }

    /// <summary>A new file for writing, readable by the app alone from its first byte; fails if it exists.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return new FileStream(path, options);
    }

    /// <summary>
    /// Secures a SQLite database: its folder when it is the app's data folder, and the database with the WAL and
    /// shared-memory files SQLite keeps beside it (SQLite gives those the database file's own mode when it makes them).
    /// Creates the database as an empty file, which SQLite takes as a new database, when there is none.
    /// </summary>
    public static void SqliteDatabase(string file, string dataFolder)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (string.Equals(folder, Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) Folder(folder);
        else Directory.CreateDirectory(folder);
        if (!File.Exists(file)) CreateNew(file).Dispose();
        Tighten(file, file + "-wal", file + "-shm", file + "-journal");
    }
}
