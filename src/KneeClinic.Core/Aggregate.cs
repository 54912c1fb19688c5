namespace KneeClinic.Core;

/// <summary>
/// An editable record with an application-managed concurrency token. SQLite has no rowversion,
/// so <see cref="Data.ClinicDbContext"/> renews <see cref="Version"/> on every save and EF Core
/// compares the original value in the UPDATE's WHERE clause on both providers.
/// </summary>
public abstract class Aggregate
{
    public Guid Id { get; protected set; } = Guid.CreateVersion7();

    public Guid Version { get; private set; } = Guid.NewGuid();

    internal void RenewVersion() => Version = Guid.NewGuid();
}

/// <summary>
/// A child entity that belongs to an aggregate without being an EF owned type. Saving a change to it
/// renews the aggregate's <see cref="Aggregate.Version"/>, so concurrent edits of the whole are caught.
/// </summary>
public interface IAggregatePart
{
    Guid AggregateId { get; }
}
