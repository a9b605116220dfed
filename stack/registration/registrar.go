package registration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
)

// Registrar sends registry commands to the enricher. A command the registry
// already holds (a restart over a kept data directory) counts as done.
type Registrar struct {
	Client registryv1connect.RegistryServiceClient
}

// Gateways registers each gateway at its place on the floor plan.
func (r Registrar) Gateways(ctx context.Context, gws []Gateway) error {
	for _, g := range gws {
		if err := office.RegisterGateway(ctx, r.Client, g.Gateway, g.Zone); err != nil {
			return err
		}
	}
	return nil
}

// Agreement records the site's works-council agreement (BetrVG §87(1) no. 6), so
// the dev dashboard may show employee badges one by one rather than only in
// aggregates.
func (r Registrar) Agreement(ctx context.Context, from time.Time) error {
	_, err := r.Client.RecordAgreement(ctx, connect.NewRequest(&registryv1.RecordAgreementRequest{
		AgreementId: "works-council-" + Site, Site: Site, ValidFrom: timestamppb.New(from), Tenant: Tenant,
	}))
	// Without an expected version the command may only create: the registry
	// answers aborted when the agreement is there already, from an earlier run.
	if connect.CodeOf(err) == connect.CodeAborted {
		return nil
	}
	if err := done(err); err != nil {
		return fmt.Errorf("recording the works-council agreement: %w", err)
	}
	return nil
}

func done(err error) error {
	var cerr *connect.Error
	if errors.As(err, &cerr) && cerr.Code() == connect.CodeAlreadyExists {
		return nil
	}
	return err
}
