namespace AffectMae.Cli.Tests;

/// <summary>
/// Tests that need an exact sequence from libtorch's process-wide random generator (the same seed, the same numbers).
/// xunit runs test classes in parallel, and classes that build models seed that generator (manual_seed); this
/// collection runs alone, so no other test seeds or draws from it meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "libtorch global random generator";
}
