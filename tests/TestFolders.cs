using System.Runtime.CompilerServices;

namespace KneeClinic.Tests;

/// <summary>
/// The tests' database files and data folders go to memory (/dev/shm) where the machine has it. Every save commits
/// and waits for the disk, and with thousands of saves the suite would wait on the disk instead of testing the app.
/// Nothing a test asserts depends on it: a process killed mid-write leaves what it wrote to the files either way.
/// A TMPDIR set by whoever runs the tests wins. (Linked into each test project that writes files.)
/// </summary>
internal static class TestFolders
{
#pragma warning disable CA2255 // A test assembly is not a library others load: setting its temp folder on load is the point.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InMemoryWhereAvailable()
    {
        if (Environment.GetEnvironmentVariable("TMPDIR") is null && Directory.Exists("/dev/shm"))
            Environment.SetEnvironmentVariable("TMPDIR", "/dev/shm/");
    }
}
