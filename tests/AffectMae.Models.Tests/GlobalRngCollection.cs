namespace AffectMae.Models.Tests;

/// <summary>
/// Tests that need an exact sequence from libtorch's process-wide random generator (seeded runs, resume equality).
/// xunit runs test classes in parallel; this collection runs alone so no other test draws from the generator meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "libtorch global random generator";
}
