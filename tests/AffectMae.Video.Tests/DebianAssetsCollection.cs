namespace AffectMae.Video.Tests;

/// <summary>Tests that use <see cref="DebianAssets"/> share one instance: the packages are fetched once a run.</summary>
[CollectionDefinition(Name)]
public sealed class DebianAssetsCollection : ICollectionFixture<DebianAssets>
{
    public const string Name = "Debian assets";
}
