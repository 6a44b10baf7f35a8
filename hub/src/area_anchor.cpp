// Linked into every area library so that an area with no sources yet still builds.
namespace swhub::detail {
int areaAnchor() { return 0; }
}  // namespace swhub::detail
