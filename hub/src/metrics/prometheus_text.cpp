#include "metrics/prometheus_text.hpp"

#include <cstdio>

namespace swhub::metrics {

std::string escapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string formatNumber(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

std::string labelText(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + escapeLabel(value) + "\"";
  }
  return out + "}";
}

void renderHistogramFamily(std::string& out, const std::string& name, const std::string& help,
                           const std::vector<double>& bounds, const std::vector<HistogramSample>& samples) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  for (const auto& s : samples) {
    for (std::size_t i = 0; i < bounds.size() && i < s.cumulative.size(); ++i) {
      Labels labels = s.labels;
      labels.push_back({"le", formatNumber(bounds[i])});
      out += name + "_bucket" + labelText(labels) + " " + std::to_string(s.cumulative[i]) + "\n";
    }
    Labels labels = s.labels;
    labels.push_back({"le", "+Inf"});
    out += name + "_bucket" + labelText(labels) + " " + std::to_string(s.count) + "\n";
    out += name + "_sum" + labelText(s.labels) + " " + formatNumber(s.sum) + "\n";
    out += name + "_count" + labelText(s.labels) + " " + std::to_string(s.count) + "\n";
  }
}

void renderFamily(std::string& out, const std::string& name, const std::string& help, const std::string& type,
                  const std::vector<std::pair<Labels, double>>& samples) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  for (const auto& [labels, value] : samples) out += name + labelText(labels) + " " + formatNumber(value) + "\n";
}

}  // namespace swhub::metrics
